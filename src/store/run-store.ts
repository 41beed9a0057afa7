import { existsSync, readdirSync } from 'node:fs';
import type { Recipe } from '../recipe/types.ts';
import type { RunPaths } from '../run-folder/run-paths.ts';
import { readIterationStageRecord } from '../run-folder/stage-record.ts';
import { iterationBranch, runRepos, type RunRepos } from './artifact-layout.ts';
import { readArtifacts } from './artifacts-journal.ts';
import { finishIteration, moveRef } from './finish-iteration.ts';
import { openBackend, type BackendDeps, DEFAULT_STORE } from './open-backend.ts';
import type { PublishContext } from './publish-context.ts';
import { publishStage } from './publish-stage.ts';
import type { StoreBackend } from './store-backend.ts';
import { StoreError } from './store-error.ts';
import { isRlStage } from '../recipe/stage-names.ts';

export interface RunStoreOptions extends BackendDeps {
  home: string;
  run: string;
  paths: RunPaths;
  recipe: Recipe;
  now: () => Date;
  report: (line: string) => void;
}

// The iteration-level store of one run: stages publish when they finish (in order, one upload queue), the last
// stage of an iteration closes it (cards, main, best), the run's end tags `final`; pending uploads are found again
// from the run folder after a crash.
export interface RunStore {
  backend: StoreBackend;
  repos: RunRepos;
  tally: PublishContext['tally'];
  /** After a stage succeeded. Waits for the upload unless store.overlap; then a failed earlier upload is thrown here. */
  afterStage(iteration: number, stage: string): Promise<void>;
  /** Waits for queued uploads; throws the first that failed. */
  drain(): Promise<void>;
  /** Publishes what a crash or a failure left unpublished; returns how many stages and iterations it finished. */
  finishPending(): Promise<number>;
  /** Tags the run's last iteration `final`. */
  finishRun(lastIteration: number): Promise<void>;
  /** Publishes every finished stage and iteration again (no commit where nothing changed). */
  publishAll(final: boolean): Promise<void>;
}

export function openRunStore(options: RunStoreOptions): RunStore {
  const spec = options.recipe.store ?? DEFAULT_STORE;
  const backend = openBackend(spec, options.home, options);
  const repos = runRepos(spec.namespace, options.run);
  const ctx: PublishContext = {
    backend,
    repos,
    run: options.run,
    paths: options.paths,
    recipe: options.recipe,
    private: spec.private,
    now: options.now,
    sleep: options.sleep,
    report: options.report,
    tally: { commits: 0, files: 0 },
  };
  // An iteration is finished in the store (cards, main, best) after its last loop stage; the RL phase, which runs once
  // after the last iteration and publishes onto that iteration's branches, finishes it again after its own last stage
  // so that main holds the RL outputs too.
  const lastLoopStage = options.recipe.stages.filter((s) => !isRlStage(s.name)).at(-1)!.name;
  const lastStage = options.recipe.stages.at(-1)!.name;
  let queue: Promise<void> = Promise.resolve();
  let failure: unknown;
  const enqueue = (work: () => Promise<void>): Promise<void> => {
    const next = queue.then(work);
    queue = next.catch(() => undefined);
    return next;
  };
  const wrap =
    (what: string) =>
    (error: unknown): never => {
      const message = error instanceof Error ? error.message : String(error);
      throw new StoreError(`store: ${what} failed: ${message}`, { cause: error });
    };
  const publishOne = (iteration: number, stage: string) =>
    enqueue(async () => {
      await publishStage(ctx, iteration, stage);
      if (stage === lastLoopStage || stage === lastStage) await finishIteration(ctx, iteration, { latest: true });
    }).catch(wrap(`publishing ${stage} of iteration ${iteration}`));
  const iterations = () =>
    existsSync(options.paths.iterations)
      ? readdirSync(options.paths.iterations)
          .filter((d) => /^\d+$/.test(d))
          .map(Number)
          .sort((a, b) => a - b)
      : [];
  const succeeded = (iteration: number, stage: string) => readIterationStageRecord(options.paths, iteration, stage)?.status === 'succeeded';
  const latestFinished = () =>
    iterations()
      .filter((i) => succeeded(i, lastLoopStage))
      .at(-1);

  return {
    backend,
    repos,
    tally: ctx.tally,
    async afterStage(iteration, stage) {
      if (failure) {
        const error = failure;
        failure = undefined;
        throw error instanceof StoreError ? error : wrap('an earlier upload')(error);
      }
      const publishing = publishOne(iteration, stage);
      if (!spec.overlap) return publishing;
      // Overlapping: the next stage starts now; a failure surfaces at the next stage's end or at the run's end.
      publishing.catch((error: unknown) => void (failure ??= error));
    },
    async drain() {
      await queue;
      if (failure) throw failure instanceof StoreError ? failure : wrap('an upload')(failure);
    },
    async finishPending() {
      let done = 0;
      const latest = latestFinished();
      for (const iteration of iterations()) {
        const journal = readArtifacts(options.paths, iteration);
        const before = done;
        for (const stage of options.recipe.stages.filter((s) => Object.keys(s.outputs).length > 0).map((s) => s.name)) {
          if (!succeeded(iteration, stage) || journal?.stages[stage]) continue;
          await publishStage(ctx, iteration, stage).catch(wrap(`publishing ${stage} of iteration ${iteration}`));
          done += 1;
        }
        // Finished again when the RL phase's outputs were published after it: main then holds them too.
        if (succeeded(iteration, lastLoopStage) && (!readArtifacts(options.paths, iteration)?.finished || done > before)) {
          await finishIteration(ctx, iteration, { latest: iteration === latest }).catch(wrap(`finishing iteration ${iteration}`));
          done += 1;
        }
      }
      return done;
    },
    async finishRun(lastIteration) {
      await this.drain();
      const branch = iterationBranch(lastIteration);
      for (const repo of [repos.sft, repos.rm, repos.rl, repos.data]) {
        const refs = await backend.refs(repo).catch(() => undefined);
        if (refs?.branches[branch]) await moveRef(ctx, repo, 'tag', 'final', undefined, branch).catch(wrap(`tagging ${repo.id} final`));
      }
      options.report(`tagged iter-${lastIteration} final`);
    },
    async publishAll(final) {
      const latest = latestFinished();
      for (const iteration of iterations()) {
        for (const stage of options.recipe.stages.map((s) => s.name)) {
          if (succeeded(iteration, stage))
            await publishStage(ctx, iteration, stage).catch(wrap(`publishing ${stage} of iteration ${iteration}`));
        }
        if (succeeded(iteration, lastLoopStage)) {
          await finishIteration(ctx, iteration, { latest: iteration === latest }).catch(wrap(`finishing iteration ${iteration}`));
        }
      }
      if (final && latest !== undefined) await this.finishRun(latest);
    },
  };
}
