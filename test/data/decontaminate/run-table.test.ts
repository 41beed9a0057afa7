import { describe, expect, it } from 'vitest';
import { addRun, compactRunTable, createRunTable, findRun, hashRun } from '../../../src/data/decontaminate/run-table.ts';
import { seededRandom } from '../../helpers/data-dir.ts';

describe('run table', () => {
  it('finds every run added, at its first occurrence, and no run that was not added, before and after compacting', () => {
    const random = seededRandom(3);
    const tokens = Int32Array.from({ length: 5000 }, () => Math.floor(random() * 6));
    const length = 4;
    const table = createRunTable(length, tokens.length, false);
    const first = new Map<string, number>();
    for (let at = 0; at + length <= 2500; at++) {
      const key = tokens.slice(at, at + length).join(',');
      if (!first.has(key)) first.set(key, at);
      expect(table.firsts[addRun(table, tokens, at)]).toBe(first.get(key));
    }
    expect(table.size).toBe(first.size);
    const compact = compactRunTable(table, true);
    expect(compact.slots.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(compact.slots.length).toBeLessThan(table.slots.length);
    for (const t of [table, compact]) {
      for (let at = 0; at + length <= tokens.length; at++) {
        const entry = findRun(t, tokens, tokens, at, hashRun(tokens, at, length));
        const key = tokens.slice(at, at + length).join(',');
        expect(entry < 0 ? undefined : t.firsts[entry]).toBe(first.get(key));
      }
    }
  });

  it('two different runs with the same 32-bit hash are two entries, each found by its own tokens', () => {
    // Random runs of two ids until two hash alike (about 2^16.5 runs make one likely; a million make one certain).
    const random = seededRandom(9);
    const seen = new Map<number, number[]>();
    let pair: [number[], number[]] | undefined;
    for (let n = 0; n < 1 << 20 && !pair; n++) {
      const run = [Math.floor(random() * 2 ** 30), Math.floor(random() * 2 ** 30)];
      const hash = hashRun(run, 0, 2);
      const other = seen.get(hash);
      if (other === undefined) seen.set(hash, run);
      else if (other.join() !== run.join()) pair = [other, run];
    }
    expect(pair).toBeDefined();
    const [a, b] = pair!;
    const tokens = Int32Array.from([...a, ...b]);
    const table = createRunTable(2, 3, false);
    const first = addRun(table, tokens, 0);
    const second = addRun(table, tokens, 2);
    expect(second).not.toBe(first);
    expect(findRun(table, tokens, tokens, 0, hashRun(tokens, 0, 2))).toBe(first);
    expect(findRun(table, tokens, tokens, 2, hashRun(tokens, 2, 2))).toBe(second);
    const mixed = [a[0]!, b[1]!];
    expect(findRun(table, tokens, mixed, 0, hashRun(mixed, 0, 2))).toBe(-1);
  });
});
