import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readCurves } from '../../src/metrics/read-curves.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'loop-curves-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string) => {
  const f = path.join(dir, name);
  writeFileSync(f, text);
  return f;
};

describe('readCurves', () => {
  it('columns per name, null where a line lacks one; non-numeric fields ignored; bad lines counted, not fatal', () => {
    const f = file(
      'a.jsonl',
      [
        '{"step": 0, "loss": 2.5, "phase": "warmup"}',
        '',
        'not json',
        '{"loss": 1}',
        '[1, 2]',
        '{"step": 10, "loss": 1.5, "lr": 0.001}',
        '{"step": 20, "loss": 1.2, "lr": 0.0005, "grad": null}',
        '{"step": 30, "lo', // a write cut short by a crash
      ].join('\n'),
    );
    expect(readCurves(f)).toEqual({
      steps: [0, 10, 20],
      series: { loss: [2.5, 1.5, 1.2], lr: [null, 0.001, 0.0005] },
      skipped: 4,
      lines: 3,
    });
  });

  it('no file: undefined; an empty file: no points', () => {
    expect(readCurves(path.join(dir, 'missing.jsonl'))).toBeUndefined();
    expect(readCurves(file('empty.jsonl', ''))).toEqual({ steps: [], series: {}, skipped: 0, lines: 0 });
  });

  it('a long stream is thinned to about maxPoints evenly spaced lines, the last one kept', () => {
    const lines = Array.from({ length: 1001 }, (_, i) => JSON.stringify({ step: i, loss: 1 / (i + 1) }));
    const curves = readCurves(file('long.jsonl', lines.join('\n')), 100)!;
    expect(curves.lines).toBe(1001);
    expect(curves.steps.length).toBeLessThanOrEqual(101);
    expect(curves.steps.slice(0, 3)).toEqual([0, 11, 22]);
    expect(curves.steps.at(-1)).toBe(1000);
    expect(curves.series.loss!.length).toBe(curves.steps.length);
  });
});
