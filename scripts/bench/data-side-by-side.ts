// `npm run bench -- data-side-by-side`: loop's data steps next to the Python tools a user would otherwise pick, on the
// same inputs in the same run. decontaminate (13-gram + LCS ratio 0.6) against datatrove's n-gram decontamination
// (n = 13) and against a plain single-threaded Python implementation of loop's two rules
// (scripts/bench/python/decontaminate_plain.py): on GSM8K train plus planted renumbered and rewrapped copies of test
// items against every test set of the shared data, then on generated train items (BENCH_SIDE_TRAIN, default
// 1,000,000, for loop; the Python tools take the first BENCH_SIDE_PY_TRAIN, default 10,000, and loop is timed on
// those too). dedup against datasketch's MinHashLSH at the same threshold, permutations and shingles, with recall and
// precision on planted near-duplicates. The Python tools come from scripts/bench/setup-python.sh
// ($LOOP_BENCH_PYTHON, else .venv-bench/bin/python); without them this benchmark says so and skips.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_SETTINGS } from '../../src/data/decontaminate/settings.ts';
import { plantedCopies, generatedTrain, nearDuplicateSet, sharedTestSets } from './side-by-side/inputs.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
// loop's steps as the installed command runs them: the compiled build (`npm run bench` writes dist/ first), whose
// worker threads load compiled JavaScript too; from the sources (through tsx, workers included) where there is none.
const built = existsSync(path.join(root, 'dist/data/decontaminate/decontaminate.js'));
const from = (file: string) => new URL(`../../${built ? `dist/${file}.js` : `src/${file}.ts`}`, import.meta.url).href;
const { decontaminate } = (await import(
  from('data/decontaminate/decontaminate')
)) as typeof import('../../src/data/decontaminate/decontaminate.ts');
const { dedup } = (await import(from('data/dedup/dedup'))) as typeof import('../../src/data/dedup/dedup.ts');
const python = process.env.LOOP_BENCH_PYTHON ?? path.join(root, '.venv-bench/bin/python');
const scripts = path.join(root, 'scripts/bench/python');
const shared = process.env.LOOP_SHARED_DATA ?? path.join(root, '../shared/data');
const skip = (why: string) => {
  console.log(`skipped: ${why}`);
  process.exit(0);
};
if (!existsSync(path.join(shared, 'gsm8k/train.jsonl'))) skip(`no shared data at ${shared} (set LOOP_SHARED_DATA)`);
if (!existsSync(python)) skip(`no Python at ${python}: run scripts/bench/setup-python.sh, or set LOOP_BENCH_PYTHON`);
const probe = spawnSync(python, ['-c', 'import datatrove, datasketch, spacy, regex, xxhash'], { encoding: 'utf8' });
if (probe.status !== 0) skip(`${python} lacks the tools (${probe.stderr.trim().split('\n').at(-1)}): run scripts/bench/setup-python.sh`);

const dir = mkdtempSync(path.join(tmpdir(), 'loop-bench-side-'));
const tests = sharedTestSets(shared);
interface Result {
  seconds: number;
  removed: Set<number>;
}

// A Python tool's run: its JSON summary's seconds and the train lines it removed.
function runPython(script: string, args: string[]): Result {
  const out = path.join(dir, `${script}.removed`);
  const done = spawnSync(python, [path.join(scripts, script), ...args.slice(0, 2), out, ...args.slice(2)], {
    encoding: 'utf8',
    cwd: scripts,
    maxBuffer: 1 << 26,
  });
  if (done.status !== 0) throw new Error(`${script} failed: ${done.stderr.slice(-2000)}`);
  const summary = JSON.parse(done.stdout.trim().split('\n').at(-1)!) as { seconds: number };
  const lines = readFileSync(out, 'utf8').split('\n').filter(Boolean).map(Number);
  return { seconds: summary.seconds, removed: new Set(lines) };
}

// loop's decontaminate in this process (its workers: one per core unless `workers` says otherwise).
async function runLoop(train: string, workers = availableParallelism()): Promise<Result> {
  const removedFile = path.join(dir, 'loop.removed.jsonl');
  const start = process.hrtime.bigint();
  await decontaminate({
    train,
    tests,
    field: ['question'],
    testField: 'auto',
    out: path.join(dir, 'loop.clean.jsonl'),
    removed: removedFile,
    settings: DEFAULT_SETTINGS,
    workers,
  });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const lines = readFileSync(removedFile, 'utf8').split('\n').filter(Boolean);
  return { seconds, removed: new Set(lines.map((l) => (JSON.parse(l) as { train_line: number }).train_line)) };
}

const rows: Array<[string, string]> = [];
const row = (k: string, v: string) => {
  rows.push([k, v]);
  console.log(`${k.padEnd(56)}  ${v}`);
};
const rate = (items: number, r: Result) => `${Math.round(items / r.seconds).toLocaleString('en-US')} items/s`;
const times = (slow: Result, fast: Result) => `${(slow.seconds / fast.seconds).toFixed(1)}×`;
row('machine', `${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}, load ${loadavg()[0]!.toFixed(2)}`);
row('loop', built ? 'the compiled build (dist/)' : 'the sources through tsx (no dist/)');

try {
  // 1. GSM8K train + planted copies of test items (renumbered, rewrapped) against every test set.
  const gsm = readFileSync(path.join(shared, 'gsm8k/train.jsonl'), 'utf8').trim().split('\n');
  const planted = await plantedCopies(tests, 300);
  const train = path.join(dir, 'gsm8k-planted.jsonl');
  writeFileSync(train, `${[...gsm, ...planted.map((q) => JSON.stringify({ question: q }))].join('\n')}\n`);
  const items = gsm.length + planted.length;
  const recall = (r: Result) => {
    let hit = 0;
    for (let i = gsm.length + 1; i <= items; i++) if (r.removed.has(i)) hit += 1;
    return `${((100 * hit) / planted.length).toFixed(1)}% of ${planted.length} planted`;
  };
  const args = [train, 'question', ...tests];
  const loop = await runLoop(train);
  const loop1 = await runLoop(train, 1);
  const loop0 = await runLoop(train, 0);
  const plain = runPython('decontaminate_plain.py', args);
  const trove = runPython('decontaminate_datatrove.py', args);
  row('decontaminate, GSM8K train + planted', `${items.toLocaleString('en-US')} items against ${tests.length} test sets`);
  for (const [name, r] of [
    [`loop (${availableParallelism()} workers)`, loop],
    ['loop (1 worker)', loop1],
    ['loop (this thread: the CLI default under 8 MB)', loop0],
    ['plain Python, same rules (1 thread)', plain],
    ['datatrove n-gram, n = 13 (1 process)', trove],
  ] as const) {
    row(`  ${name}`, `${r.seconds.toFixed(1)} s  ${rate(items, r)}  removed ${r.removed.size}  recall ${recall(r)}`);
  }
  row(
    '  loop vs plain Python',
    `${times(plain, loop)} (1 worker: ${times(plain, loop1)}, this thread: ${times(plain, loop0)}), goal ≥ 10×`,
  );
  row('  loop vs datatrove', `${times(trove, loop)} (1 worker: ${times(trove, loop1)}, this thread: ${times(trove, loop0)}), goal > 1×`);

  // 2. Generated train items: loop on all of them, everyone on the first BENCH_SIDE_PY_TRAIN.
  const total = Number(process.env.BENCH_SIDE_TRAIN ?? 1_000_000);
  const subset = Math.min(total, Number(process.env.BENCH_SIDE_PY_TRAIN ?? 10_000));
  const big = path.join(dir, 'generated.jsonl');
  const small = path.join(dir, 'generated-subset.jsonl');
  await generatedTrain(path.join(shared, 'gsm8k/train.jsonl'), big, total);
  writeFileSync(small, `${readFileSync(big, 'utf8').split('\n').slice(0, subset).join('\n')}\n`);
  const loopAll = await runLoop(big);
  row(
    `decontaminate, ${total.toLocaleString('en-US')} generated items`,
    `loop ${loopAll.seconds.toFixed(1)} s  ${rate(total, loopAll)} (goal: 1M in < 30 s)`,
  );
  const loopSub = await runLoop(small);
  const plainSub = runPython('decontaminate_plain.py', [small, 'question', ...tests]);
  const troveSub = runPython('decontaminate_datatrove.py', [small, 'question', ...tests]);
  row(`  the first ${subset.toLocaleString('en-US')}: loop`, `${loopSub.seconds.toFixed(1)} s  ${rate(subset, loopSub)}`);
  row('  plain Python', `${plainSub.seconds.toFixed(1)} s  ${rate(subset, plainSub)}  (loop ${times(plainSub, loopSub)})`);
  row('  datatrove', `${troveSub.seconds.toFixed(1)} s  ${rate(subset, troveSub)}  (loop ${times(troveSub, loopSub)})`);

  // 3. dedup against datasketch on planted near-duplicates.
  const set = nearDuplicateSet(Number(process.env.BENCH_DEDUP_ROWS ?? 20_000), 0.1);
  const input = path.join(dir, 'dedup.jsonl');
  writeFileSync(input, `${set.texts.map((text) => JSON.stringify({ text })).join('\n')}\n`);
  const removedFile = path.join(dir, 'dedup.removed.jsonl');
  const start = process.hrtime.bigint();
  const summary = await dedup({
    input,
    out: path.join(dir, 'dedup.out.jsonl'),
    removed: removedFile,
    field: ['text'],
    threshold: 0.8,
    numPerm: 128,
    shingle: 5,
  });
  const loopDedup: Result = {
    seconds: Number(process.hrtime.bigint() - start) / 1e9,
    removed: new Set(
      readFileSync(removedFile, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => (JSON.parse(l) as { line: number }).line),
    ),
  };
  const sketch = runPython('dedup_datasketch.py', [input, 'text', '0.8', '128']);
  const score = (r: Result) => {
    const hits = [...r.removed].filter((l) => set.planted.has(l)).length;
    const precision = r.removed.size ? ((100 * hits) / r.removed.size).toFixed(1) : '–';
    return `recall ${((100 * hits) / set.planted.size).toFixed(1)}%  precision ${precision}%`;
  };
  row(
    'dedup, threshold 0.8, 128 permutations, 5-token shingles',
    `${set.texts.length.toLocaleString('en-US')} rows, ${set.planted.size} planted near-duplicates`,
  );
  row(
    `  loop (${summary.lsh.bands} bands × ${summary.lsh.rows} rows, verified)`,
    `${loopDedup.seconds.toFixed(1)} s  ${rate(set.texts.length, loopDedup)}  ${score(loopDedup)}`,
  );
  row('  datasketch MinHashLSH', `${sketch.seconds.toFixed(1)} s  ${rate(set.texts.length, sketch)}  ${score(sketch)}`);
  row('  loop vs datasketch', `${times(sketch, loopDedup)}, goal ≥ 5× at equal recall`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
