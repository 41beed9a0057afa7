import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { mergeShardOutputs } from '../../../src/executors/shards/merge-shard-outputs.ts';

const root = mkdtempSync(path.join(tmpdir(), 'loop-merge-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let counter = 0;

// N shard folders with `files(shard)` written into each, and an empty out folder.
function shards(n: number, files: (shard: number) => Record<string, string>): { outs: string[]; out: string } {
  const base = path.join(root, String(++counter));
  const outs = Array.from({ length: n }, (_, shard) => {
    const dir = path.join(base, 'shards', String(shard), 'out');
    for (const [rel, text] of Object.entries(files(shard))) {
      mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      writeFileSync(path.join(dir, rel), text);
    }
    mkdirSync(dir, { recursive: true });
    return dir;
  });
  const out = path.join(base, 'out');
  mkdirSync(out, { recursive: true });
  return { outs, out };
}

describe('merging shard outputs', () => {
  it('concatenates files in shard order (11 shards: 10 comes after 9), ending every part with a line break', async () => {
    const { outs, out } = shards(11, (s) => ({ 'data/samples.jsonl': `{"s":${s}}\n{"s":${s},"b":1}${s === 3 ? '' : '\n'}` }));
    expect(await mergeShardOutputs({ samples: 'data/samples.jsonl' }, outs, out)).toEqual({ ok: true });
    const lines = readFileSync(path.join(out, 'data/samples.jsonl'), 'utf8').split('\n');
    expect(lines).toHaveLength(23);
    expect(lines.filter((l) => l.includes('"b"')).map((l) => JSON.parse(l).s)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(readdirSync(path.join(out, 'data'))).toEqual(['samples.jsonl']);
  });

  it('keeps an empty part empty and merges parts larger than its 1 MiB copy buffer', async () => {
    const big = 'x'.repeat(3 * (1 << 20) - 1) + '\n';
    const { outs, out } = shards(3, (s) => ({ 'a.txt': s === 1 ? '' : big }));
    await mergeShardOutputs({ a: 'a.txt' }, outs, out);
    expect(readFileSync(path.join(out, 'a.txt'), 'utf8')).toBe(big + big);
  });

  it("keeps each shard's folder of a folder output, as shard-00000, shard-00001, …", async () => {
    const { outs, out } = shards(2, (s) => ({ 'model/weights.bin': `w${s}`, 'model/sub/cfg': `c${s}` }));
    await mergeShardOutputs({ model: 'model' }, outs, out);
    expect(readdirSync(path.join(out, 'model'))).toEqual(['shard-00000', 'shard-00001']);
    expect(readFileSync(path.join(out, 'model/shard-00001/sub/cfg'), 'utf8')).toBe('c1');
  });

  it('refuses a shard that lacks the output, or file and folder mixed, naming them', async () => {
    const missing = shards(3, (s): Record<string, string> => (s === 1 ? {} : { 'a.txt': 'a\n' }));
    expect(await mergeShardOutputs({ a: 'a.txt' }, missing.outs, missing.out)).toEqual({
      ok: false,
      reason: 'cannot merge output a: shard 1 wrote no a.txt',
    });
    const mixed = shards(2, (s): Record<string, string> => (s === 0 ? { 'a/x': '1' } : { a: '1' }));
    expect(await mergeShardOutputs({ a: 'a' }, mixed.outs, mixed.out)).toEqual({
      ok: false,
      reason: 'cannot merge output a: some shards wrote a as a file and others as a folder',
    });
  });

  it(
    'a merge interrupted half-way (a leftover partial file, a stale output) merges again to the same bytes, the shards ' + 'untouched',
    async () => {
      const { outs, out } = shards(3, (s) => ({ 'a.jsonl': `${s}\n` }));
      writeFileSync(path.join(out, `.a.jsonl.merging-${process.pid}`), '0\n1\n');
      writeFileSync(path.join(out, 'a.jsonl'), 'stale\n');
      await mergeShardOutputs({ a: 'a.jsonl' }, outs, out);
      await mergeShardOutputs({ a: 'a.jsonl' }, outs, out);
      expect(readFileSync(path.join(out, 'a.jsonl'), 'utf8')).toBe('0\n1\n2\n');
      expect(readdirSync(out)).toEqual(['a.jsonl']);
      expect(outs.map((dir) => readFileSync(path.join(dir, 'a.jsonl'), 'utf8'))).toEqual(['0\n', '1\n', '2\n']);
    },
  );
});
