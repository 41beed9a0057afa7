import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readIndexTail } from '../../src/run-folder/index-tail.ts';
import { readIterationIndex } from '../../src/run-folder/iteration-index.ts';
import { runPaths } from '../../src/run-folder/run-paths.ts';

const home = mkdtempSync(path.join(tmpdir(), 'loop-index-tail-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));
const paths = runPaths(home, 'r');

const line = (iteration: number, metrics: Record<string, number> = { 'eval.accuracy': iteration / 1000 }) =>
  JSON.stringify({
    iteration,
    metrics,
    stages: {},
    totals: { gpuHours: iteration, mainMetric: 'eval.accuracy', higherIsBetter: true, best: null },
  });

describe('readIndexTail', () => {
  it('reads the lines of iterations from−1 on, from the end, across chunks, skipping torn lines, last line winning', () => {
    // 3,000 lines of ~2 KB (50 metrics each): 6 MB, many 64 KB chunks; one line longer than a chunk; a torn line.
    const wide = (i: number) => Object.fromEntries(Array.from({ length: 50 }, (_, k) => [`eval.metric_${k}`, i + k / 7]));
    const lines = Array.from({ length: 3000 }, (_, i) => line(i, wide(i)));
    lines[2990] = line(2990, Object.fromEntries(Array.from({ length: 4000 }, (_, k) => [`eval.m${k}`, k])));
    lines.splice(2995, 0, '{"iteration": 2994, "metr');
    lines.push(line(2998, { 'eval.accuracy': -1 }));
    mkdirSync(paths.root, { recursive: true });
    writeFileSync(paths.index, `${lines.join('\n')}\n{"iteration": 3000, "met`);
    const tail = readIndexTail(paths, 2985);
    expect([...tail.keys()].sort((a, b) => a - b)).toEqual(Array.from({ length: 16 }, (_, i) => 2984 + i));
    expect(Object.keys(tail.get(2990)!.metrics)).toHaveLength(4000);
    expect(tail.get(2998)!.metrics).toEqual({ 'eval.accuracy': -1 });
    expect(tail.get(2997)!.totals).toEqual({ gpuHours: 2997, mainMetric: 'eval.accuracy', higherIsBetter: true, best: null });
    // The same entries as the whole-file reader gives for those iterations.
    const whole = readIterationIndex(paths);
    for (const [i, entry] of tail) expect({ index: i, metrics: entry.metrics, stages: entry.stages }).toEqual(whole.get(i));
    // From 0: every line; no file: nothing.
    expect(readIndexTail(paths, 0).size).toBe(3000);
    rmSync(paths.index);
    expect(readIndexTail(paths, 5).size).toBe(0);
  });
});
