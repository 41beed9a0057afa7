import { describe, expect, it } from 'vitest';
import { deadlineOf, stopRequests, type StopReason } from '../../../src/executors/common/stop-request.ts';

describe('stopRequests', () => {
  it('stops once, for the first reason asked: an abort of the stage, or the time limit', () => {
    const stopped: StopReason[] = [];
    const controller = new AbortController();
    const stops = stopRequests(controller.signal, (why) => stopped.push(why));
    expect(stops.why).toBeNull();
    stops.request('timeout');
    controller.abort();
    stops.request('cancel');
    expect([stops.why, stopped]).toEqual(['timeout', ['timeout']]);
  });

  it('counts a signal aborted before the job was followed as a cancel', () => {
    const stopped: StopReason[] = [];
    const stops = stopRequests(AbortSignal.abort(), (why) => stopped.push(why));
    expect([stops.why, stopped]).toEqual(['cancel', ['cancel']]);
  });

  it('hears the signal no more once disposed', () => {
    const stopped: StopReason[] = [];
    const controller = new AbortController();
    const stops = stopRequests(controller.signal, (why) => stopped.push(why));
    stops.dispose();
    controller.abort();
    expect([stops.why, stopped]).toEqual([null, []]);
  });
});

describe('deadlineOf', () => {
  it('is the start plus the time limit, or never without one', () => {
    expect(deadlineOf('2026-12-04T10:00:00.000Z', 90)).toBe(Date.parse('2026-12-04T10:01:30.000Z'));
    expect(deadlineOf('2026-12-04T10:00:00.000Z', undefined)).toBe(Infinity);
  });
});
