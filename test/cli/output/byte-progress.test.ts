import { describe, expect, it } from 'vitest';
import { createByteProgress } from '../../../src/cli/output/byte-progress.ts';
import type { CliIO } from '../../../src/cli/io.ts';

// A CliIO whose stderr records what is written, as a terminal or not.
function fakeIO(isTTY: boolean) {
  const written: string[] = [];
  const stderr = { isTTY, write: (text: string) => written.push(text) } as unknown as CliIO['stderr'];
  const io = { stderr, error: (text: string) => written.push(`${text}\n`) } as unknown as CliIO;
  return { io, written };
}

describe('createByteProgress', () => {
  it('off a terminal: nothing for a short job, then one plain line per 30 s', () => {
    let now = 0;
    const { io, written } = fakeIO(false);
    const progress = createByteProgress(io, 'reward', 100e6, () => now);
    for (now = 0; now < 29_000; now += 1000) progress.update(now * 1000);
    expect(written).toEqual([]);
    for (; now <= 90_000; now += 1000) progress.update(Math.min(100e6, now * 1000));
    expect(written).toEqual([
      'reward: 30% 30.0 of 100.0 MB · 1.0 MB/s · 30s\n',
      'reward: 60% 60.0 of 100.0 MB · 1.0 MB/s · 1m00s\n',
      'reward: 90% 90.0 of 100.0 MB · 1.0 MB/s · 1m30s\n',
    ]);
    progress.done();
    expect(written).toHaveLength(3);
  });

  it('on a terminal: one line redrawn at most five times a second, cleared when done', () => {
    let now = 0;
    const { io, written } = fakeIO(true);
    const progress = createByteProgress(io, 'dedup', 10e6, () => now);
    for (now = 0; now <= 1000; now += 50) progress.update(now * 1000);
    expect(written).toHaveLength(5);
    expect(written[0]).toBe('\r\x1b[2Kdedup: 2% 0.2 of 10.0 MB · 1.0 MB/s · 0.2s');
    progress.done();
    expect(written.at(-1)).toBe('\r\x1b[2K');
  });

  it('takes the pass size with each update when it is only known later (grade, select, vote)', () => {
    let now = 0;
    const { io, written } = fakeIO(false);
    const progress = createByteProgress(io, 'select', 0, () => now, 10_000);
    now = 9_999;
    progress.update(1e6, 4e6);
    expect(written).toHaveLength(0);
    now = 10_000;
    progress.update(2e6, 4e6);
    expect(written).toEqual(['select: 50% 2.0 of 4.0 MB · 0.2 MB/s · 10s\n']);
  });
});
