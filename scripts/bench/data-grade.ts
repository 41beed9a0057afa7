// `loop data grade`, `select` and `vote` on generated GSM8K-style samples (1M by default, BENCH_ROWS to change),
// each as rows/s, MB/s and a ratio to the floor: plain JSONL parse-and-write of the same file with the same reader
// and writer, measured in the same run. docs/performance.md keeps the latest figures.
import { mkdtempSync, rmSync, statSync, writeFileSync, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { readJsonlBatches } from '../../src/data/jsonl/read-jsonl.ts';
import { createJsonlWriter } from '../../src/data/jsonl/write-jsonl.ts';
import { gradeFiles } from '../../src/data/grade/grade-files.ts';
import { selectFiles } from '../../src/data/select/select-files.ts';
import { voteFiles } from '../../src/data/vote/vote-files.ts';

const rows = Number(process.env.BENCH_ROWS ?? 1_000_000);
const perQuery = 8;
const dir = mkdtempSync(path.join(tmpdir(), 'loop-bench-data-'));
const queriesFile = path.join(dir, 'queries.jsonl');
const samplesFile = path.join(dir, 'samples.jsonl');

// A seeded generator, so every run measures the same file.
let seed = 12345;
const random = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
const int = (n: number) => Math.floor(random() * n);

// Queries with numeric answers (a quarter unlabeled), and 8 responses each in the three final-answer styles.
async function generate(): Promise<void> {
  const queries = Math.ceil(rows / perQuery);
  const q: string[] = [];
  const answers: number[] = [];
  for (let i = 0; i < queries; i++) {
    const a = 10 + int(990);
    const b = 2 + int(98);
    answers.push(a * b);
    q.push(
      JSON.stringify(
        i % 4 === 3
          ? { id: `q${i}`, question: `What is ${a} times ${b}?` }
          : { id: `q${i}`, question: `What is ${a} times ${b}?`, answer: String(a * b) },
      ),
    );
  }
  writeFileSync(queriesFile, q.join('\n') + '\n');
  const out = createWriteStream(samplesFile);
  let written = 0;
  for (let i = 0; i < queries && written < rows; i++) {
    let text = '';
    for (let j = 0; j < perQuery && written < rows; j++, written++) {
      const answer = random() < 0.6 ? answers[i]! : answers[i]! + 1 + int(50);
      const shown = answer.toLocaleString('en-US');
      const body =
        `We multiply step by step. First take the tens, then the ones, and add the partial products together. Check: ` +
        `${int(100)} + ${int(100)} = something.`;
      const end = j % 3 === 0 ? `#### ${shown}` : j % 3 === 1 ? `The answer is ${shown}.` : `So the total is $\\boxed{${answer}}$.`;
      text += JSON.stringify({ id: `q${i}`, response: `${body}\n${end}`, rm: Math.round((random() * 8 - 4) * 1e4) / 1e4 }) + '\n';
    }
    if (!out.write(text)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

// The floor: parse every line and write it back, with the reader and writer the data steps use.
async function floor(file: string, out: string): Promise<void> {
  const writer = createJsonlWriter(out);
  for await (const batch of readJsonlBatches(file)) await writer.write(batch.rows);
  await writer.close();
}

async function timed(run: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await run();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

await generate();
const graded = path.join(dir, 'graded.jsonl');
const sizeMb = statSync(samplesFile).size / 1e6;
const tFloor = await timed(() => floor(samplesFile, path.join(dir, 'floor.jsonl')));
const tGrade = await timed(() => gradeFiles({ queries: [queriesFile], samples: samplesFile, out: graded }));
const gradedMb = statSync(graded).size / 1e6;
const tFloorGraded = await timed(() => floor(graded, path.join(dir, 'floor2.jsonl')));
const tSelect = await timed(() =>
  selectFiles({ queries: [queriesFile], samples: graded, out: path.join(dir, 'selected.jsonl'), topK: 2, weighting: 'softmax' }),
);
const tVote = await timed(() => voteFiles({ queries: [queriesFile], samples: graded }));

const line = (name: string, seconds: number, mb: number, base: number) =>
  `${name.padEnd(34)} ${(rows / seconds / 1000).toFixed(1).padStart(7)}k rows/s ${(mb / seconds).toFixed(1).padStart(7)} MB/s   ` +
  `${(base / seconds).toFixed(2)}× floor`;
console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}`);
console.log(
  `input: ${rows.toLocaleString('en-US')} GSM8K-style samples (${sizeMb.toFixed(0)} MB; graded: ${gradedMb.toFixed(0)} MB), ${perQuery} ` +
    `per query`,
);
console.log(line('floor: parse + write (samples)', tFloor, sizeMb, tFloor));
console.log(line('grade', tGrade, sizeMb, tFloor));
console.log(line('floor: parse + write (graded)', tFloorGraded, gradedMb, tFloorGraded));
console.log(line('select --top-k 2 (graded input)', tSelect, gradedMb, tFloorGraded));
console.log(line('vote (graded input)', tVote, gradedMb, tFloorGraded));
console.log(
  `goals: grade ≥ 20k samples/s (${rows / tGrade >= 20_000 ? 'met' : 'NOT met'}); select, vote ≥ 0.5× floor ` +
    `(${tFloorGraded / tSelect >= 0.5 && tFloorGraded / tVote >= 0.5 ? 'met' : 'NOT met'})`,
);
if (process.env.BENCH_KEEP) console.log(`inputs kept in ${dir}`);
else rmSync(dir, { recursive: true, force: true });
