// Many runs, one process: `loop run noop.yaml ×20` against one run of the same recipe, measured in the same
// process run: peak memory (max RSS of the controller process, from GNU time) and wall time per stage run.
// BENCH_RUNS and BENCH_ITERATIONS change the size (default 20 runs of 20 iterations). docs/performance.md keeps the figures.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = path.join(root, 'bin/loop.mjs');
const recipe = path.join(root, 'recipes/bench/noop.yaml');
const runs = Number(process.env.BENCH_RUNS ?? 20);
const iterations = Number(process.env.BENCH_ITERATIONS ?? 20);
const TIME = '/usr/bin/time';
if (!existsSync(TIME)) {
  console.error(`bench many-runs: needs GNU time at ${TIME} to read the peak memory; install it with \`apt-get install time\``);
  process.exit(2);
}

// Wall time (ms) and peak RSS (MiB) of one `loop` command.
function measure(args: string[], home: string): { ms: number; mib: number } {
  const start = process.hrtime.bigint();
  const result = spawnSync(TIME, ['-f', 'maxrss=%M', process.execPath, bin, ...args, '--home', home], {
    encoding: 'utf8',
    maxBuffer: 1 << 30,
  });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) throw new Error(`loop ${args.join(' ')} failed (${result.status}): ${result.stderr.slice(-2000)}`);
  const kb = Number(/maxrss=(\d+)/.exec(result.stderr)?.[1]);
  return { ms, mib: kb / 1024 };
}

const home = mkdtempSync(path.join(tmpdir(), 'loop-bench-many-'));
try {
  const set = ['--set', `until.max_iterations=${iterations}`];
  const stagesPerRun = 2 + 8 * iterations;
  const one = measure(['run', recipe, ...set], home);
  const many = measure(['run', ...Array.from({ length: runs }, () => recipe), ...set], home);
  const limited = measure(['run', ...Array.from({ length: runs }, () => recipe), ...set, '--limit', 'local=1'], home);
  const rows: Array<[string, string]> = [
    [
      'machine',
      `load average ${loadavg()[0]!.toFixed(1)}; ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ` +
        `${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
    ],
    ['recipe', `recipes/bench/noop.yaml, ${iterations} iterations (${stagesPerRun} stage runs a run)`],
    ['1 run: peak memory', `${one.mib.toFixed(0)} MiB`],
    [`${runs} runs, one process: peak memory`, `${many.mib.toFixed(0)} MiB (${(many.mib / one.mib).toFixed(2)}× one run)`],
    [`${runs} runs, --limit local=1: peak memory`, `${limited.mib.toFixed(0)} MiB`],
    ['1 run: wall time per stage run', `${(one.ms / stagesPerRun).toFixed(1)} ms`],
    [
      `${runs} runs: wall time per stage run`,
      `${(many.ms / (runs * stagesPerRun)).toFixed(1)} ms (${(one.ms / stagesPerRun / (many.ms / (runs * stagesPerRun))).toFixed(2)}× ` +
        `the throughput of one run)`,
    ],
    [`${runs} runs, --limit local=1: wall time per stage run`, `${(limited.ms / (runs * stagesPerRun)).toFixed(1)} ms`],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  for (const [key, value] of rows) console.log(`${key.padEnd(width)}  ${value}`);
} finally {
  rmSync(home, { recursive: true, force: true });
}
