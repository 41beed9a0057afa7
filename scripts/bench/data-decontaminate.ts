// decontaminate: generated train items (default 1,000,000; BENCH_TRAIN sets the count) against every test set in
// the shared data sets (LOOP_SHARED_DATA, else shared/data beside the repository: GSM8K test, MATH test and the
// nine eval/ sets: ~14k items), with the method's settings and one worker per core. The baseline is plain JSONL parse-and-write of the
// same train file in the same run.
// docs/performance.md keeps the latest figures.
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readJsonlBatches } from '../../src/data/jsonl/read-jsonl.ts';
import { createJsonlWriter } from '../../src/data/jsonl/write-jsonl.ts';
import { decontaminate } from '../../src/data/decontaminate/decontaminate.ts';
import { DEFAULT_SETTINGS } from '../../src/data/decontaminate/settings.ts';
import { generatedTrain, sharedTestSets } from './side-by-side/inputs.ts';

const shared = process.env.LOOP_SHARED_DATA ?? fileURLToPath(new URL('../../../shared/data', import.meta.url));
if (!existsSync(path.join(shared, 'gsm8k/train.jsonl'))) {
  console.error(`bench data-decontaminate: no test sets at ${shared}; set LOOP_SHARED_DATA to the shared data folder`);
  process.exit(2);
}
const total = Number(process.env.BENCH_TRAIN ?? 1_000_000);
const tests = sharedTestSets(shared);
const dir = mkdtempSync(path.join(tmpdir(), 'loop-bench-decon-'));
const train = path.join(dir, 'train.jsonl');

async function floor(): Promise<void> {
  const writer = createJsonlWriter(path.join(dir, 'floor.jsonl'));
  for await (const batch of readJsonlBatches(train)) await writer.write(batch.rows);
  await writer.close();
}

// Train items from GSM8K train questions, numbers redrawn and first word swapped (side-by-side/inputs.ts).
await generatedTrain(path.join(shared, 'gsm8k/train.jsonl'), train, total);
const mb = statSync(train).size / 1e6;
let start = process.hrtime.bigint();
await floor();
const floorSeconds = Number(process.hrtime.bigint() - start) / 1e9;
const workers = availableParallelism();
const cpuBefore = process.cpuUsage();
start = process.hrtime.bigint();
const summary = await decontaminate({
  train,
  tests,
  field: ['question'],
  testField: 'auto',
  out: path.join(dir, 'clean.jsonl'),
  removed: path.join(dir, 'removed.jsonl'),
  settings: DEFAULT_SETTINGS,
  workers,
});
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
// CPU time of every thread of this process (getrusage): on a machine shared with other work, wall time says little,
// and CPU time ÷ cores is the wall time the same work needs on idle cores (a lower bound).
const cpu = process.cpuUsage(cpuBefore);
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
const testItems = summary.testSets.reduce((n, s) => n + s.items, 0);
console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}, ${workers} workers`);
console.log(
  `train: ${total.toLocaleString('en-US')} generated items (${mb.toFixed(0)} MB); test: ${testItems.toLocaleString('en-US')} items in ` +
    `${tests.length} sets`,
);
console.log(`floor (parse + write):  ${floorSeconds.toFixed(1)} s  ${Math.round(total / floorSeconds).toLocaleString('en-US')} items/s`);
console.log(
  `decontaminate:          ${seconds.toFixed(1)} s  ${Math.round(total / seconds).toLocaleString('en-US')} items/s  ` +
    `${(mb / seconds).toFixed(2)} MB/s  (${(seconds / floorSeconds).toFixed(1)}× the floor)`,
);
console.log(`removed: ${summary.train.removed.toLocaleString('en-US')} (n-gram ${summary.rules.ngram}, LCS ${summary.rules.lcs})`);
console.log(
  `CPU time (all threads):  ${cpuSeconds.toFixed(1)} s, ` +
    `so ≥ ${(cpuSeconds / workers).toFixed(1)} s of wall time on ${workers} idle cores`,
);
const scale = 1_000_000 / total;
console.log(
  `extrapolated to 1,000,000 items: ${((seconds * scale) / 60).toFixed(1)} min at this run's wall time, ` +
    `${((cpuSeconds * scale) / workers / 60).toFixed(1)} min from CPU time on ${workers} idle cores (goal < 5 min)`,
);
rmSync(dir, { recursive: true, force: true });
