import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readJsonl } from '../../../src/data/jsonl/read-jsonl.ts';

async function read(text: string, skipBad = false) {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'loop-jsonl-')), 'f.jsonl');
  writeFileSync(file, text);
  const stats = { rows: 0, bad: 0, bytes: 0 };
  const rows: unknown[] = [];
  for await (const { row } of readJsonl(file, { skipBad }, stats)) rows.push(row);
  return { file, rows, stats };
}

// Issue 20, item 6.
describe('readJsonl: a byte-order mark and numbers out of range', () => {
  it('accepts a UTF-8 byte-order mark before the first line, with and without --skip-bad', async () => {
    for (const skipBad of [false, true]) {
      const { rows, stats } = await read('\uFEFF{"id":"a"}\n{"id":"b"}\n', skipBad);
      expect(rows).toEqual([{ id: 'a' }, { id: 'b' }]);
      expect(stats.bad).toBe(0);
    }
  });

  it('refuses a number past the double range (1e999), naming the file and line; --skip-bad counts it', async () => {
    await expect(read('{"id":"a","rm":1}\n{"id":"b","rm":1e999}\n')).rejects.toThrow(
      /f\.jsonl:2: malformed line \(a number out of range: past ±1\.8e308\)/,
    );
    await expect(read('{"id":"a","x":{"y":[-1e400]}}\n')).rejects.toThrow(/f\.jsonl:1: malformed line/);
    const { rows, stats } = await read('{"id":"a","rm":1}\n{"id":"b","rm":1e999}\n', true);
    expect(rows).toEqual([{ id: 'a', rm: 1 }]);
    expect(stats.bad).toBe(1);
  });
});
