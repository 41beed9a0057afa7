import { describe, expect, it } from 'vitest';
import { deferredWrite } from '../../src/fs/deferred-write.ts';

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// state.json's steps between stages: only the newest value is written, once, after the delay.
describe('deferredWrite', () => {
  it('writes the newest value once, after the delay', async () => {
    const written: number[] = [];
    const write = deferredWrite<number>(30, (value) => written.push(value));
    write.later(1);
    write.later(2);
    write.later(3);
    expect(written).toEqual([]);
    await wait(80);
    expect(written).toEqual([3]);
    write.later(4);
    await wait(80);
    expect(written).toEqual([3, 4]);
  });

  it('drops a waiting value when cancelled (a newer one was written at once)', async () => {
    const written: number[] = [];
    const write = deferredWrite<number>(30, (value) => written.push(value));
    write.later(1);
    write.cancel();
    await wait(80);
    expect(written).toEqual([]);
    write.later(2);
    await wait(80);
    expect(written).toEqual([2]);
  });
});
