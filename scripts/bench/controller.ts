// The controller's overhead per stage, measured against a bash loop running the same commands in the same process
// run, plus the state file's size and the latency of `loop status`. docs/performance.md keeps the latest figures.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = path.join(root, 'bin/loop.mjs');
const recipe = path.join(root, 'recipes/bench/noop.yaml');
const home = mkdtempSync(path.join(tmpdir(), 'loop-bench-'));

// Wall time of one command, in ms.
function time(file: string, args: string[]): number {
  const start = process.hrtime.bigint();
  const result = spawnSync(file, args, { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${file} ${args.join(' ')} failed: ${result.stderr}`);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

// Stage runs of the noop recipe up to iteration n: iteration 0 runs 2 stages, every later one 8.
const stageRuns = (n: number) => 2 + 8 * n;

// The controller's time for a run of n iterations (one process: start-up included; the slope removes it).
function loopRun(n: number, name: string): number {
  return time(process.execPath, [bin, 'run', recipe, '--name', name, '--home', home, '--set', `until.max_iterations=${n}`]);
}

// The floor: bash starting the same command as many times.
function bashLoop(count: number): number {
  return time('/bin/bash', ['-c', `for ((i = 0; i < ${count}; i++)); do /bin/true; done`]);
}

const small = 5;
const large = Number(process.env.BENCH_ITERATIONS ?? 40);
const tSmall = loopRun(small, 'small');
const tLarge = loopRun(large, 'large');
const extraRuns = stageRuns(large) - stageRuns(small);
const loopPerStage = (tLarge - tSmall) / extraRuns;
const bashPerCommand = bashLoop(extraRuns) / extraRuns;
const state = path.join(home, 'runs/large/state.json');
const statusMs = time(process.execPath, [bin, 'status', 'large', '--json', '--home', home]);
const startupMs = time(process.execPath, [bin, '--version']);
const cpu = cpus()[0]?.model ?? 'unknown CPU';

const rows: Array<[string, string]> = [
  ['machine', `${cpus().length} × ${cpu}, Node ${process.version}`],
  ['stage runs timed', `${extraRuns} (iterations ${small + 1}..${large} of recipes/bench/noop.yaml)`],
  ['loop, per stage', `${loopPerStage.toFixed(2)} ms (process start, wrapper, records, fsync'd state)`],
  ['bash loop, per command', `${bashPerCommand.toFixed(2)} ms`],
  ['controller overhead per stage', `${(loopPerStage - bashPerCommand).toFixed(2)} ms`],
  ['ratio loop / bash', `${(loopPerStage / bashPerCommand).toFixed(1)}×`],
  [`state.json after iteration ${large}`, `${statSync(state).size} bytes`],
  ['`loop status --json`', `${statusMs.toFixed(0)} ms`],
  ['`loop --version` (start-up alone)', `${startupMs.toFixed(0)} ms`],
];
const width = Math.max(...rows.map(([k]) => k.length));
for (const [key, value] of rows) console.log(`${key.padEnd(width)}  ${value}`);
rmSync(home, { recursive: true, force: true });
