import type { CliIO } from '../io.ts';
import type { Recipe } from '../../recipe/types.ts';
import type { RunPaths } from '../../run-folder/run-paths.ts';
import type { RunState } from '../../run-folder/run-state.ts';
import { startController, type Controller } from '../../engine/controller.ts';
import { getExecutor } from '../../executors/registry.ts';
import { limitExecutors, type ExecutorLimits } from '../../executors/wrappers/limits/limit-executors.ts';
import { createProgress, type Progress } from '../output/progress.ts';
import { readRunReport } from '../../metrics/read-run-report.ts';
import { renderStatus } from '../output/render-status.ts';
import { summarizeRuns } from './summarize-runs.ts';
import { openRunStore } from '../../store/run-store.ts';
import { runHooks } from '../../engine/run-hooks.ts';
import { openTracker } from '../../tracking/tracker.ts';
import { readRunState } from '../../run-folder/run-state.ts';
import { existsSync } from 'node:fs';
import { resolveHubInputs } from '../../store/resolve-hub-inputs.ts';
import { exitCodeForRuns } from './exit-code-for-runs.ts';
import { sleep } from '../../time/sleep.ts';
import { logTail } from '../../fs/log-tail.ts';
import { CONTROL_SIGNAL, describeRequester, takeControlRequest } from '../control/control-request.ts';

export interface DriveOptions {
  home: string;
  name: string;
  paths: RunPaths;
  recipe: Recipe;
  snapshot?: unknown;
  createdAt?: string;
  /** When a resumed run was last persisted (its state.json's updatedAt). */
  haltedAt?: string;
}

export interface DriveManyOptions {
  /** How many runs go at once (default all); the rest start as others end. */
  maxParallel?: number;
  /** Per executor kind, how many stages run at once across all the runs. */
  limits?: ExecutorLimits;
}

// How one run ended in this process; `state` is absent for a run that never started (Ctrl-C came first).
export interface DriveResult {
  run: DriveOptions;
  state?: RunState;
}

// Runs one controller in the foreground with progress, signal handling and a closing summary; returns the exit code.
export async function driveRun(options: DriveOptions, io: CliIO, many: DriveManyOptions = {}): Promise<number> {
  const [result] = await driveRuns([options], io, many);
  return summarize(result!.state!, options, io);
}

// Drives several runs from this one process: at most `maxParallel` at once, their stages sharing the executor limits.
// The signal handlers are installed once for all of them (they are process-wide): Ctrl-C pauses every run after
// its current stage (twice: now) and starts no further run; `loop pause NAME` reaches the run it names.
export async function driveRuns(runs: DriveOptions[], io: CliIO, many: DriveManyOptions = {}): Promise<DriveResult[]> {
  const labelled = runs.length > 1;
  const executorFor = limitExecutors(getExecutor, many.limits ?? {});
  const active = new Map<string, { run: DriveOptions; controller?: Controller; progress: Progress }>();
  let interrupts = 0;
  let halted = false;
  const each = (what: 'pause' | 'pauseNow' | 'stop', by: string) => {
    for (const a of active.values()) a.controller?.[what](by);
  };
  const onInt = () => {
    interrupts += 1;
    halted = true;
    for (const a of active.values()) a.progress.close();
    if (interrupts === 1) {
      io.error(
        labelled
          ? 'pausing every run after its current stage finishes (no further run starts); press Ctrl-C again to stop the stages now ' +
              '(they rerun on resume)'
          : 'pausing after the current stage finishes; press Ctrl-C again to stop it now (it reruns on resume)',
      );
      each('pause', 'Ctrl-C (SIGINT)');
    } else {
      io.error(
        labelled
          ? 'stopping the current stages now; `loop resume NAME` runs each again from its start'
          : 'stopping the current stage now; `loop resume` runs it again from its start',
      );
      each('pauseNow', 'Ctrl-C twice (SIGINT)');
    }
  };
  const onTerm = () => {
    halted = true;
    each('pauseNow', 'SIGTERM');
  };
  // `loop pause` and `loop stop` leave a request in the run's folder and ring this process with SIGUSR1.
  const onControl = () => {
    for (const a of active.values()) {
      const asked = takeControlRequest(a.run.paths.root);
      if (!asked) continue;
      const what = asked.action === 'pause' ? 'pause' : asked.action === 'pause-now' ? 'pauseNow' : 'stop';
      io.error(`${labelled ? `${a.run.name}: ` : ''}${asked.action} requested: ${asked.by}`);
      a.controller?.[what](asked.by);
    }
  };

  // One run, start to settle. Its entry goes into `active` before the controller starts a stage: a signal that
  // came while no handler was installed would kill the process outright, and one that came now must reach it.
  const driveOne = async (run: DriveOptions): Promise<DriveResult> => {
    const progress = createProgress(io, run.paths, Date.now, labelled ? run.name : undefined);
    const entry: { run: DriveOptions; controller?: Controller; progress: Progress } = { run, progress };
    active.set(run.name, entry);
    // A request may have come while this run was still starting (its ring went to main's placeholder handler).
    setImmediate(onControl);
    try {
      // The store opens first: a missing HF_TOKEN or a bad endpoint stops the run before any stage starts.
      const store = openRunStore({
        home: run.home,
        run: run.name,
        paths: run.paths,
        recipe: run.recipe,
        env: io.env,
        now: () => new Date(),
        sleep,
        report: (line) => progress.note(line),
      });
      // Trackers and notifications next: a missing MLflow server or webhook variable stops the run before any stage.
      // One creation time for the controller and the trackers: the MLflow run's start, the event file's name.
      const createdAt = run.createdAt ?? new Date().toISOString();
      const tracker = openTracker({
        name: run.name,
        paths: run.paths,
        recipe: run.recipe,
        env: io.env,
        fetch: globalThis.fetch,
        now: () => new Date(),
        sleep: (ms) => sleep(ms),
        report: (line) => progress.note(line),
        createdAt,
      });
      const stageEnvs = new Map<string, Record<string, string>>();
      if (tracker && run.snapshot) {
        // What a crash left unqueued (an iteration finished, a failure) is found from the state on disk first.
        if (existsSync(run.paths.state)) tracker.sync(readRunState(run.paths.state));
        tracker.resumed();
      }
      // hf:// inputs are fetched into the run folder once; stages get local paths.
      const recipe = await resolveHubInputs(run.recipe, run.paths, { env: io.env, sleep, report: (line) => progress.note(line) });
      const pending = await store.finishPending();
      if (pending > 0) progress.note(`finished ${pending} pending upload(s) to the store`);
      entry.controller = startController({
        name: run.name,
        paths: run.paths,
        recipe,
        snapshot: run.snapshot,
        createdAt,
        haltedAt: run.haltedAt,
        startedBy: describeRequester(run.snapshot ? 'loop resume' : 'loop run'),
        deps: {
          executorFor,
          now: () => new Date(),
          sleep,
          trackingEnv: (iteration, stage) => stageEnvs.get(`${iteration}/${stage}`) ?? {},
        },
        onTransition: (event, state) => {
          progress.transition(event, state);
          tracker?.sync(state);
        },
        hooks: runHooks(
          run.paths,
          recipe,
          store,
          () => new Date(),
          tracker && { tracker, stageEnvs, report: (line) => progress.note(line) },
        ),
      });
      return { run, state: await entry.controller.done };
    } finally {
      active.delete(run.name);
      progress.close();
    }
  };

  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  process.on(CONTROL_SIGNAL, onControl);
  try {
    const queue = [...runs];
    const results = new Map<string, DriveResult>();
    const worker = async () => {
      for (let run = queue.shift(); run && !halted; run = queue.shift()) results.set(run.name, await driveOne(run));
    };
    const width = Math.max(1, Math.min(many.maxParallel ?? runs.length, runs.length));
    await Promise.all(Array.from({ length: width }, worker));
    return runs.map((run) => results.get(run.name) ?? { run });
  } finally {
    process.off('SIGINT', onInt);
    process.off('SIGTERM', onTerm);
    process.off(CONTROL_SIGNAL, onControl);
  }
}

// The closing summary of several runs, and their exit code (exitCodeForRuns).
export function summarizeMany(results: DriveResult[], io: CliIO): number {
  io.print(
    summarizeRuns(
      results.map((r) => ({ name: r.run.name, home: r.run.home, started: r.state !== undefined })),
      io,
    ),
  );
  for (const r of results) {
    if (r.state?.status === 'failed') io.error(`run ${r.run.name} failed; ${nextStep(r.state, r.run.name)}`);
    else if (r.state?.status === 'paused') io.error(`run ${r.run.name} is paused; \`loop resume ${r.run.name}\` continues it`);
    else if (r.state === undefined) io.error(`run ${r.run.name} did not start; \`loop resume ${r.run.name}\` starts it`);
  }
  return exitCodeForRuns(results.map((r) => r.state));
}

// What to do after a failure: a store failure kept the stage's outputs, an attempt in doubt (its cluster stopped
// answering) is followed again, a stage failure reruns the stage.
function nextStep(state: RunState, name: string): string {
  if (state.error?.code === 'E_STORE')
    return `the stage's outputs are kept; fix the cause, then \`loop resume ${name}\` uploads what is pending and goes on`;
  if (state.error?.code === 'E_EXECUTOR_UNAVAILABLE')
    return `once the cluster answers again, \`loop resume ${name}\` follows the same job (no second one); finished stages are kept`;
  return `fix the cause, then \`loop resume ${name}\` reruns the failed stage; finished stages are kept`;
}

// The closing summary of one run: its status, what to do next, and its exit code (exitCodeForRuns).
function summarize(state: RunState, options: DriveOptions, io: CliIO): number {
  const report = readRunReport(options.home, options.name);
  io.print(renderStatus(report, io));
  const error = state.error;
  if (state.status === 'paused') io.error(`run ${options.name} is paused; \`loop resume ${options.name}\` continues it`);
  else if (state.status === 'stopped') io.error(`run ${options.name} is stopped for good`);
  else if (state.status === 'failed' && error?.code === 'E_STORE') io.error(io.err.red(`\n${error.message}`));
  else if (state.status === 'failed' && error) {
    const log = options.paths.stageLog(error.iteration, error.stage);
    io.error(
      io.err.red(
        `\nstage ${error.stage} of iteration ${error.iteration} ${error.code === 'E_EXECUTOR_UNAVAILABLE' ? 'is in doubt' : 'failed'}: ` +
          `${error.message.replace(/^stage \S+ of iteration \d+ failed: /, '')}`,
      ),
    );
    io.error(`last lines of ${log}:`);
    for (const line of logTail(log, 15)) io.error(`  ${line}`);
  }
  if (state.status === 'failed') io.error(`\n${nextStep(state, options.name)}`);
  return exitCodeForRuns([state]);
}
