import type { CliIO } from '../io.ts';
import type { Recipe } from '../../recipe/types.ts';
import type { RunPaths } from '../../run/run-paths.ts';
import type { RunState } from '../../run/run-state.ts';
import { startController, type Controller } from '../../run/controller.ts';
import { getExecutor } from '../../executors/registry.ts';
import { createProgress } from '../output/progress.ts';
import { readRunReport } from '../../run/read-run-report.ts';
import { renderStatus } from './status.ts';
import { EXIT } from '../../errors/exit-codes.ts';
import { logTail } from '../../run/log-tail.ts';
import { CONTROL_SIGNAL, describeRequester, takeControlRequest } from '../../run/control-request.ts';
import { openRunStore } from '../../store/run-store.ts';
import { runHooks } from '../../run/run-hooks.ts';
import { resolveHubInputs } from '../../store/resolve-hub-inputs.ts';

export interface DriveOptions {
  home: string;
  name: string;
  paths: RunPaths;
  recipe: Recipe;
  snapshot?: unknown;
  createdAt?: string;
}

// Runs the controller in the foreground with progress, signal handling and a closing summary; returns the exit code.
export async function driveRun(options: DriveOptions, io: CliIO): Promise<number> {
  const progress = createProgress(io, options.paths, Date.now);
  // The store opens first: a missing HF_TOKEN or a bad endpoint stops the run before any stage starts.
  const store = openRunStore({
    home: options.home, run: options.name, paths: options.paths, recipe: options.recipe, env: io.env,
    now: () => new Date(), sleep, report: (line) => progress.note(line),
  });
  // hf:// inputs are fetched into the run folder once; stages get local paths.
  const recipe = await resolveHubInputs(options.recipe, options.paths, { env: io.env, sleep, report: (line) => progress.note(line) });
  const pending = await store.finishPending();
  if (pending > 0) progress.note(`finished ${pending} pending upload(s) to the store`);
  // Signal handlers go in before the controller starts a stage: a signal that came while none was installed
  // would kill the controller outright. They run from the event loop, after startController has returned,
  // so `controller` is set by then.
  let controller: Controller | undefined;
  const request = (what: 'pause' | 'pauseNow' | 'stop', by: string) => controller?.[what](by);
  let interrupts = 0;
  const onInt = () => {
    interrupts += 1;
    progress.close();
    if (interrupts === 1) {
      io.error('pausing after the current stage finishes; press Ctrl-C again to stop it now (it reruns on resume)');
      request('pause', 'Ctrl-C (SIGINT)');
    } else {
      io.error('stopping the current stage now; `loop resume` runs it again from its start');
      request('pauseNow', 'Ctrl-C twice (SIGINT)');
    }
  };
  const onTerm = () => request('pauseNow', 'SIGTERM');
  // `loop pause` and `loop stop` leave a request in the run folder and ring with SIGUSR1.
  const onControl = () => {
    const asked = takeControlRequest(options.paths.root);
    if (!asked) return;
    const what = asked.action === 'pause' ? 'pause' : asked.action === 'pause-now' ? 'pauseNow' : 'stop';
    io.error(`${asked.action} requested: ${asked.by}`);
    request(what, asked.by);
  };
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  process.on(CONTROL_SIGNAL, onControl);
  // A request may have come while this process was still starting (its ring went to main's placeholder handler).
  setImmediate(onControl);
  controller = startController({
    name: options.name,
    paths: options.paths,
    recipe,
    snapshot: options.snapshot,
    createdAt: options.createdAt,
    startedBy: describeRequester(options.snapshot ? 'loop resume' : 'loop run'),
    deps: { executorFor: getExecutor, now: () => new Date(), sleep },
    onTransition: (event, state) => progress.transition(event, state),
    hooks: runHooks(options.paths, recipe, store, () => new Date()),
  });
  let state: RunState;
  try {
    state = await controller.done;
  } finally {
    process.off('SIGINT', onInt);
    process.off('SIGTERM', onTerm);
    process.off(CONTROL_SIGNAL, onControl);
    progress.close();
  }
  return summarize(state, options, io);
}

function summarize(state: RunState, options: DriveOptions, io: CliIO): number {
  const report = readRunReport(options.home, options.name);
  io.print(renderStatus(report, io));
  switch (state.status) {
    case 'succeeded':
      return EXIT.ok;
    case 'paused':
      io.error(`run ${options.name} is paused; \`loop resume ${options.name}\` continues it`);
      return EXIT.interrupted;
    case 'stopped':
      io.error(`run ${options.name} is stopped for good`);
      return EXIT.ok;
    case 'failed': {
      const error = state.error;
      if (error?.message.startsWith('store: ')) {
        io.error(io.err.red(`\n${error.message}`));
        io.error(`\nthe stage's outputs are kept; fix the cause, then \`loop resume ${options.name}\` uploads what is pending and goes on`);
        return EXIT.store;
      }
      if (error) {
        const log = options.paths.stageLog(error.iteration, error.stage);
        io.error(io.err.red(`\nstage ${error.stage} of iteration ${error.iteration} failed: ${error.message.replace(/^stage \S+ of iteration \d+ failed: /, '')}`));
        io.error(`last lines of ${log}:`);
        for (const line of logTail(log, 15)) io.error(`  ${line}`);
      }
      io.error(`\nfix the cause, then \`loop resume ${options.name}\` reruns the failed stage; finished stages are kept`);
      return EXIT.stageFailed;
    }
    default:
      return EXIT.ok;
  }
}

// A wait that ends early when the signal aborts (retry backoff must not hold up a pause).
function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
