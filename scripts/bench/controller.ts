// The controller at scale, each figure against a baseline measured in the same process run (docs/performance.md):
// - overhead: `loop run recipes/bench/noop.yaml` to iteration N (default 1,000) against a bash loop running the
//   same stage commands as many times: (loop − bash) ÷ stage runs;
// - flat cost: per-stage time in the run's first and last 50 iterations (from events.jsonl), state.json at
//   iteration 1 and at N, and `loop status`/`loop resume`/`loop diff`/`loop ls` on the run at iteration 1 and at N
//   (each run in a home of its own, so `loop ls` lists one run);
// - start-up: `loop --version` against a bare `node -e 0`;
// - many metrics: the same on recipes/bench/metrics.yaml (eval reports 50 metrics, a plateau rule keeps history).
// BENCH_ITERATIONS=N shortens it.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = path.join(root, 'bin/loop.mjs');
const home = mkdtempSync(path.join(tmpdir(), 'loop-bench-'));
const iterations = Number(process.env.BENCH_ITERATIONS ?? 1000);

// Wall time of one command, in ms; `okCodes` are the exit codes that count as success.
function time(file: string, args: string[], okCodes = [0], env: Record<string, string> = {}): number {
  const start = process.hrtime.bigint();
  const result = spawnSync(file, args, {
    stdio: ['ignore', 'ignore', 'pipe'],
    encoding: 'utf8',
    env: { ...process.env, ...env },
    maxBuffer: 1 << 30,
  });
  if (!okCodes.includes(result.status ?? -1)) throw new Error(`${file} ${args.join(' ')} failed (${result.status}): ${result.stderr}`);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

const loop = (args: string[], okCodes?: number[], at = home) => time(process.execPath, [bin, ...args, '--home', at], okCodes);

// The file LOOP_METRICS names in the baselines (loop's stages get their own).
const metricsFile = path.join(home, 'bash-metrics.json');

// The floor: bash running `commands` (one iteration's stage commands) for iterations 0..n, iteration 0 only the
// commands `initial` marks, with LOOP_ITERATION and LOOP_METRICS set as loop sets them; `stage` wraps each command
// (bashGlue gives it a folder and a log).
function bashLoop(commands: string[], initial: boolean[], n: number, stage = (command: string, _index: number) => command): number {
  const body = commands.map((c, i) => (initial[i] ? stage(c, i) : `if ((LOOP_ITERATION > 0)); then ${stage(c, i)}; fi`)).join('; ');
  const script =
    `export LOOP_METRICS=${metricsFile}; for ((LOOP_ITERATION = 0; LOOP_ITERATION <= ${n}; LOOP_ITERATION++)); do ` +
    `export LOOP_ITERATION; ${body}; done`;
  return time('/bin/bash', ['-c', script]);
}

// The floor issue 19 named (docs/performance.md): Node starting the same commands one after another, each
// followed by one fsync'd state write (temporary file, fsync, rename), nothing else.
function nodeFloor(commands: string[], initial: boolean[], n: number): number {
  const state = path.join(home, 'floor-state.json');
  const script = `
    const { spawn } = require('node:child_process');
    const fs = require('node:fs');
    const commands = ${JSON.stringify(commands.map((c) => c.split(' ')))};
    const initial = ${JSON.stringify(initial)};
    const runs = [];
    for (let it = 0; it <= ${n}; it++) commands.forEach((c, i) => (it > 0 || initial[i]) && runs.push([it, c]));
    const env = { ...process.env, LOOP_METRICS: ${JSON.stringify(metricsFile)} };
    const next = (k) => {
      if (k === runs.length) return;
      const [it, [file, ...args]] = runs[k];
      spawn(file, args, { stdio: 'ignore', env: { ...env, LOOP_ITERATION: String(it) } }).on('exit', () => {
        const fd = fs.openSync(${JSON.stringify(`${state}.tmp`)}, 'w');
        fs.writeSync(fd, JSON.stringify({ iteration: it, stage: k }));
        fs.fsyncSync(fd);
        fs.closeSync(fd);
        fs.renameSync(${JSON.stringify(`${state}.tmp`)}, ${JSON.stringify(state)});
        next(k + 1);
      });
    };
    next(0);`;
  return time(process.execPath, ['-e', script]);
}

// The glue a user would write instead, for context (not the goal's floor): the same loop, each stage given a folder
// for its outputs (`mkdir -p`) and its output sent to a log file there, as loop does. Its folders stay until the
// benchmark's end, as loop's runs do: on a disk like this one's, files just deleted slow every later file creation
// nearby (docs/performance.md), so deleting them here would slow the next scenario's run.
function bashGlue(label: string, commands: string[], initial: boolean[], n: number): number {
  const runs = path.join(home, `bash-glue-${label}`);
  return bashLoop(commands, initial, n, (c, i) => `d=${runs}/$LOOP_ITERATION/s${i}; mkdir -p $d/out; ${c} > $d/log.txt 2>&1`);
}

// Per-stage time over a range of iterations, from the events' timestamps (entering each stage).
function perStage(run: string, from: number, to: number): number {
  const events = readFileSync(path.join(home, 'runs', run, 'events.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { at: string; iteration: number; stage: string | null });
  const inRange = events.filter((e) => e.iteration >= from && e.iteration <= to && e.stage !== null);
  const first = Date.parse(inRange[0]!.at);
  const last = Date.parse(inRange.at(-1)!.at);
  return (last - first) / Math.max(1, inRange.length - 1);
}

const stateSize = (run: string) => statSync(path.join(home, 'runs', run, 'state.json')).size;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
// The median of three calls: one slow start on a shared machine says little.
const latency = (args: string[], okCodes?: number[], at = home) => median([0, 1, 2].map(() => loop(args, okCodes, at)));
// The same command on the run at iteration 1 and at N, alternated seven times (so a burst of load on a shared
// machine falls on both), as the two medians.
function paired(one: () => number, other: () => number): [number, number] {
  const pairs = Array.from({ length: 7 }, () => [one(), other()] as const);
  return [median(pairs.map(([a]) => a)), median(pairs.map(([, b]) => b))];
}

interface Scenario {
  recipe: string;
  stagesPerIteration: number;
  initialStages: number;
  commands: string[];
  initial: boolean[];
}

const TRUE8 = Array.from({ length: 8 }, () => '/bin/true');
const noop: Scenario = {
  recipe: 'recipes/bench/noop.yaml',
  stagesPerIteration: 8,
  initialStages: 2,
  commands: TRUE8,
  initial: [false, false, false, false, false, false, true, true],
};
const metrics: Scenario = {
  recipe: 'recipes/bench/metrics.yaml',
  stagesPerIteration: 6,
  initialStages: 2,
  commands: [...TRUE8.slice(0, 5), `/bin/sh ${path.join(root, 'recipes/bench/fifty-metrics.sh')}`],
  initial: [false, false, false, false, true, true],
};

// One scenario: a 1-iteration and an N-iteration run, the bash floor, and the read-side latencies on both.
function measure(label: string, s: Scenario): { rows: Array<[string, string]>; bashMs: number } {
  const recipe = path.join(root, s.recipe);
  const small = `${label}-1`;
  const large = `${label}-${iterations}`;
  loop(['run', recipe, '--name', small, '--set', 'until.max_iterations=1']);
  const tLoop = loop(['run', recipe, '--name', large, '--set', `until.max_iterations=${iterations}`]);
  // `loop ls` on a home holding only one of the two runs.
  const alone = (run: string) => {
    const at = path.join(home, `alone-${run}`);
    cpSync(path.join(home, 'runs', run), path.join(at, 'runs', run), { recursive: true });
    return at;
  };
  const [homeSmall, homeLarge] = [alone(small), alone(large)];
  const [ls1, lsN] = paired(
    () => loop(['ls'], undefined, homeSmall),
    () => loop(['ls'], undefined, homeLarge),
  );
  const stageRuns = s.initialStages + s.stagesPerIteration * iterations;
  const tBash = bashLoop(s.commands, s.initial, iterations);
  const tGlue = bashGlue(label, s.commands, s.initial, iterations);
  const overhead = (tLoop - tBash) / stageRuns;
  const early = perStage(large, 1, Math.min(50, iterations));
  const late = perStage(large, Math.max(1, iterations - 49), iterations);
  const [status1, statusN] = paired(
    () => loop(['status', small, '--json']),
    () => loop(['status', large, '--json']),
  );
  const [resume1, resumeN] = paired(
    () => loop(['resume', small], [2]),
    () => loop(['resume', large], [2]),
  );
  const [diff1, diffN] = paired(
    () => loop(['diff', small, '--json']),
    () => loop(['diff', large, '--json']),
  );
  const diffPairN = latency(['diff', `${large}@0`, `${large}@${iterations}`, '--json']);
  return {
    bashMs: tBash,
    rows: [
      [`${label}: recipe`, `${s.recipe}, ${iterations} iterations, ${stageRuns} stage runs`],
      [`${label}: loop run`, `${(tLoop / 1000).toFixed(1)} s`],
      [`${label}: bash loop, same commands`, `${(tBash / 1000).toFixed(1)} s`],
      [`${label}: ratio loop / bash`, r(tLoop, tBash)],
      [`${label}: controller overhead per stage`, `${overhead.toFixed(2)} ms ((loop − bash) ÷ ${stageRuns})`],
      [
        `${label}: bash loop, a folder and a log a stage`,
        `${(tGlue / 1000).toFixed(1)} s (loop: ${r(tLoop, tGlue)}; context, not the goal)`,
      ],
      [`${label}: per stage, iterations 1–50 / last 50`, `${early.toFixed(1)} ms / ${late.toFixed(1)} ms (${r(late, early)})`],
      [`${label}: state.json at iteration 1 / ${iterations}`, `${stateSize(small)} / ${stateSize(large)} bytes`],
      [`${label}: loop status --json at 1 / ${iterations}`, `${status1.toFixed(0)} / ${statusN.toFixed(0)} ms (${r(statusN, status1)})`],
      [
        `${label}: loop resume (finished: no-op) at 1 / ${iterations}`,
        `${resume1.toFixed(0)} / ${resumeN.toFixed(0)} ms (${r(resumeN, resume1)})`,
      ],
      [`${label}: loop diff RUN --json at 1 / ${iterations}`, `${diff1.toFixed(0)} / ${diffN.toFixed(0)} ms (${r(diffN, diff1)})`],
      [`${label}: loop diff RUN@0 RUN@${iterations} --json`, `${diffPairN.toFixed(0)} ms`],
      [`${label}: loop ls (one run) at 1 / ${iterations}`, `${ls1.toFixed(0)} / ${lsN.toFixed(0)} ms (${r(lsN, ls1)})`],
    ],
  };
}

const r = (a: number, b: number) => `${(a / b).toFixed(2)}×`;

// The floor's row for a scenario measured earlier, placed after its overhead row. Measured after every scenario:
// its state writes free a file a stage, which would slow the runs measured after it on a disk like this one's.
function addFloor(label: string, s: Scenario, measured: { rows: Array<[string, string]>; bashMs: number }): Array<[string, string]> {
  const floor = nodeFloor(s.commands, s.initial, iterations);
  const at = measured.rows.findIndex(([key]) => key === `${label}: controller overhead per stage`) + 1;
  const row: [string, string] = [
    `${label}: floor: Node spawning them, one fsync'd write each`,
    `${(floor / 1000).toFixed(1)} s (${r(floor, measured.bashMs)} bash)`,
  ];
  return [...measured.rows.slice(0, at), row, ...measured.rows.slice(at)];
}

try {
  // Start-up: the median of five, interleaved with a bare Node start, its floor.
  const starts = [0, 1, 2, 3, 4].map(() => [time(process.execPath, ['-e', '0']), time(process.execPath, [bin, '--version'])] as const);
  const bare = median(starts.map(([b]) => b));
  const startup = median(starts.map(([, v]) => v));
  const rows: Array<[string, string]> = [
    [
      'machine',
      `load average ${loadavg()[0]!.toFixed(1)} at the start; ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ` +
        `${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
    ],
    [
      'loop --version (start-up alone)',
      `${startup.toFixed(0)} ms (bare \`node -e 0\` ${bare.toFixed(0)} ms: ${(startup / bare).toFixed(2)}×)`,
    ],
  ];
  const measured = { noop: measure('noop', noop), metrics: measure('metrics', metrics) };
  rows.push(...addFloor('noop', noop, measured.noop), ...addFloor('metrics', metrics, measured.metrics));
  rows.push([
    'load average (1 min) at the end',
    `${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores (other work on the machine slows every figure)`,
  ]);
  const width = Math.max(...rows.map(([k]) => k.length));
  for (const [key, value] of rows) console.log(`${key.padEnd(width)}  ${value}`);
} finally {
  rmSync(home, { recursive: true, force: true });
}
