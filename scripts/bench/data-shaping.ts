// rm-data, rl-filter and reward on ≥ 1M generated graded samples: rows/s, MB/s, and each as a share of the floor,
// plain JSONL parse-and-write of the same file (readJsonlBatches → createJsonlWriter, rows unchanged), measured in
// the same run. BENCH_SAMPLES sets the size (default 1,000,000). docs/performance.md keeps the latest figures.
import { mkdtempSync, rmSync, statSync, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { readJsonlBatches } from '../../src/data/jsonl/read-jsonl.ts';
import { createJsonlWriter } from '../../src/data/jsonl/write-jsonl.ts';
import { addRewards } from '../../src/data/reward/add-rewards.ts';
import { rlFilter } from '../../src/data/rl-filter/rl-filter.ts';
import { rmData } from '../../src/data/rm-data/rm-data.ts';

const total = Number(process.env.BENCH_SAMPLES ?? 1_000_000);
const perQuery = 8;
const dir = mkdtempSync(path.join(tmpdir(), 'loop-bench-shaping-'));
const samples = path.join(dir, 'samples.jsonl');

// Graded, scored samples as `loop data grade` leaves them: 8 per query on consecutive lines, a ~200-character
// response, pred, correct (about 45% true) and rm. A fixed LCG keeps the file the same on every run.
async function generate(): Promise<void> {
  let seed = 12345;
  const random = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296;
  const out = createWriteStream(samples);
  let chunk = '';
  for (let i = 0; i < total; i++) {
    const q = Math.floor(i / perQuery);
    const answer = Math.floor(random() * 1000);
    const correct = random() < 0.45;
    const pred = correct ? answer : answer + 1 + Math.floor(random() * 9);
    const response =
      `Step 1: there are ${answer * 3} apples and ${answer * 2} oranges in ${q % 97} baskets. Step 2: each basket holds ` +
      `the same number, so we divide and add the remainder. Therefore the answer is \\boxed{${pred}}.`;
    const question = `Question number ${q}: how many fruits are left?`;
    const rm = Math.round((random() * 8 - 4) * 1e4) / 1e4;
    chunk += `${JSON.stringify({ id: `q${q}`, question, response, pred: String(pred), correct, rm })}\n`;
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end(chunk);
  await once(out, 'finish');
}

// The floor: parse every line and write every row back, nothing else.
async function floor(): Promise<void> {
  const writer = createJsonlWriter(path.join(dir, 'floor.jsonl'));
  for await (const batch of readJsonlBatches(samples)) await writer.write(batch.rows);
  await writer.close();
}

async function time(run: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await run();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

await generate();
const bytes = statSync(samples).size;
const mb = bytes / 1e6;
// Two rounds, each timing the floor and every command in turn; the faster of the two times counts for each, so JIT
// warm-up and a neighbour's burst on a shared machine weigh less.
const runs: Array<[string, () => Promise<unknown>]> = [
  ['floor: parse + write', floor],
  ['reward', () => addRewards({ samples, out: path.join(dir, 'reward.jsonl'), alpha: 0.5 })],
  ['rl-filter', () => rlFilter({ samples, out: path.join(dir, 'rl.jsonl'), min: 2, max: 5 })],
  ['rm-data', () => rmData({ samples, out: path.join(dir, 'rm.jsonl'), group: 6 })],
  ['rm-data --pairs', () => rmData({ samples, out: path.join(dir, 'pairs.jsonl'), group: 6, pairs: true })],
];
const best = new Map<string, number>();
for (let round = 0; round < 2; round++) {
  for (const [name, run] of runs) best.set(name, Math.min(best.get(name) ?? Infinity, await time(run)));
}
const floorSeconds = best.get('floor: parse + write')!;
const rows: string[][] = [['', 'seconds', 'rows/s', 'MB/s', 'share of floor']];
const line = (name: string, seconds: number) => [
  name,
  seconds.toFixed(2),
  Math.round(total / seconds).toLocaleString('en-US'),
  (mb / seconds).toFixed(1),
  `${((100 * floorSeconds) / seconds).toFixed(0)}%`,
];
for (const [name] of runs) rows.push(line(name, best.get(name)!));
console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}`);
console.log(`input: ${total.toLocaleString('en-US')} samples (${perQuery} per query), ${mb.toFixed(0)} MB`);
const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
for (const r of rows) console.log(r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  '));
console.log('goal: reward and rl-filter at ≥ 50% of the floor');
rmSync(dir, { recursive: true, force: true });
