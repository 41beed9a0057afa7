// Merging a sharded stage's outputs (docs/performance.md): 8 shards × 32 MiB of JSONL merged in shard order by
// mergeShardOutputs (streamed, fsynced, renamed into place) against `cat` of the same parts into one file
// then `sync` of it: the least any durable merge must do; then a folder output (8 × 4 MiB) copied into shard-0000K
// folders against one shell running `cp -r` per shard.
// BENCH_SHARD_MIB=N changes the size of each part.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { mergeShardOutputs } from '../../src/executors/shards/merge-shard-outputs.ts';

const root = mkdtempSync(path.join(tmpdir(), 'loop-bench-merge-'));
const shards = 8;
const mib = Number(process.env.BENCH_SHARD_MIB ?? 32);

// One JSONL part of about `mib` MiB for shard `s`.
function part(s: number): string {
  const line = `{"shard": ${s}, "prompt": "${'x'.repeat(200)}", "response": "${'y'.repeat(300)}"}\n`;
  return line.repeat(Math.ceil((mib << 20) / line.length));
}

// Wall time of a function, in ms (the best of three: the machine is shared).
async function best(fn: () => Promise<void> | void): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < 3; i++) {
    const start = process.hrtime.bigint();
    await fn();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return Math.min(...times);
}

try {
  const outs = Array.from({ length: shards }, (_, s) => {
    const dir = path.join(root, 'shards', String(s), 'out');
    mkdirSync(path.join(dir, 'model'), { recursive: true });
    writeFileSync(path.join(dir, 'samples.jsonl'), part(s));
    writeFileSync(path.join(dir, 'model/weights.bin'), Buffer.alloc(4 << 20, s));
    return dir;
  });
  const out = path.join(root, 'out');
  mkdirSync(out, { recursive: true });
  const parts = outs.map((dir) => path.join(dir, 'samples.jsonl'));
  const total = parts.reduce((sum, file) => sum + statSync(file).size, 0);

  const cat = await best(() => {
    const target = path.join(root, 'cat.jsonl');
    const result = spawnSync('/bin/sh', ['-c', `cat "$@" > ${target} && sync ${target}`, 'sh', ...parts]);
    if (result.status !== 0) throw new Error('cat failed');
  });
  const merge = await best(async () => {
    const merged = await mergeShardOutputs({ samples: 'samples.jsonl' }, outs, out);
    if (!merged.ok) throw new Error(merged.reason);
  });
  if (statSync(path.join(out, 'samples.jsonl')).size !== total) throw new Error('the merged file has the wrong size');
  const cp = await best(() => {
    rmSync(path.join(root, 'cp'), { recursive: true, force: true });
    mkdirSync(path.join(root, 'cp'));
    const result = spawnSync('/bin/sh', [
      '-c',
      `for s in $(seq 0 ${shards - 1}); do cp -r ${path.join(root, 'shards')}/$s/out/model ${path.join(root, 'cp')}/$s; done`,
    ]);
    if (result.status !== 0) throw new Error('cp failed');
  });
  const folder = await best(async () => {
    const merged = await mergeShardOutputs({ model: 'model' }, outs, out);
    if (!merged.ok) throw new Error(merged.reason);
  });

  const mb = (n: number) => `${(n / (1 << 20)).toFixed(1)} MiB`;
  console.log(
    `machine                         ${cpus().length} cores (${cpus()[0]?.model.trim()}), load ${loadavg()[0]!.toFixed(1)}, Node ` +
      `${process.version}`,
  );
  console.log(`file output                     ${shards} parts, ${mb(total)} in all`);
  console.log(`baseline: cat + sync            ${cat.toFixed(0)} ms (${mb(total / (cat / 1000))}/s)`);
  console.log(`mergeShardOutputs (file)        ${merge.toFixed(0)} ms  (${(merge / cat).toFixed(2)}×), fsync and rename included`);
  console.log(`folder output                   ${shards} × 4 MiB`);
  console.log(`baseline: sh, cp -r per shard   ${cp.toFixed(0)} ms`);
  console.log(`mergeShardOutputs (folder)      ${folder.toFixed(0)} ms  (${(folder / cp).toFixed(2)}×)`);
} finally {
  rmSync(root, { recursive: true, force: true });
}
