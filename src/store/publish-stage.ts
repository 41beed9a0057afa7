import { readIterationStageRecord } from '../run-folder/stage-record.ts';
import { iterationBranch, MODEL_REPO_FILES, outputAtRoot, stageTarget } from './artifact-layout.ts';
import { updateArtifacts, type PublishedStage } from './artifacts-journal.ts';
import { collectOutputFiles, safeRelative } from './collect-output-files.ts';
import { commitFiles } from './commit-files.ts';
import { storeNote, type PublishContext } from './publish-context.ts';
import type { RepoRef, StoreProgress } from './store-backend.ts';

const LARGE = 2 ** 20;

// Publishes a finished stage's declared outputs on its repo's branch iter-N (made from iter-(N-1), else main), one
// commit naming run, iteration and stage with the stage's metrics; no commit when the branch already holds them.
export async function publishStage(ctx: PublishContext, iteration: number, stage: string): Promise<PublishedStage | undefined> {
  const record = readIterationStageRecord(ctx.paths, iteration, stage);
  const spec = ctx.recipe.stages.find((s) => s.name === stage);
  // A stage that declares no outputs has nothing to version (its metrics go with the iteration's).
  if (record?.status !== 'succeeded' || !spec || Object.keys(spec.outputs).length === 0) return undefined;
  const { repo, prefix } = stageTarget(ctx.repos, stage);
  const outDir = ctx.paths.stageOut(iteration, stage);
  const atRoot = outputAtRoot(stage, spec.outputs, outDir);
  // At the root, the folder's own README.md (a trainer's card) would fight loop's model card: the card wins.
  const files = (await collectOutputFiles(outDir, spec.outputs, prefix, atRoot)).filter(
    (f) => !atRoot || !MODEL_REPO_FILES.includes(f.path),
  );
  const branch = await prepareBranch(ctx, repo, iteration);
  const owned = atRoot
    ? { allBut: MODEL_REPO_FILES }
    : Object.entries(spec.outputs).map(([name, rel]) => `${prefix}${safeRelative(rel, `output ${name}`)}`);
  const metrics = Object.entries(record.metrics).map(([k, v]) => `${stage}.${k} = ${v}`);
  // Progress: a line per large file sent (small ones would flood a log; the stage's line follows anyway).
  const sizes = new Map(files.map((f) => [f.path, f.size]));
  const progress: StoreProgress = (event) => {
    const size = sizes.get(event.path) ?? 0;
    if (event.state === 'uploading' && event.progress === 1 && size >= LARGE) {
      ctx.report(`sent ${event.path} (${(size / 2 ** 20).toFixed(1)} MiB) to ${repo.id}@${branch}`);
    }
  };
  const result = await commitFiles({ backend: ctx.backend, sleep: ctx.sleep, progress }, repo, branch, files, owned, {
    title: `${ctx.run} iteration ${iteration}: ${stage}${metrics.length ? ` (${metrics.slice(0, 3).join(', ')})` : ''}`,
    description: [`run: ${ctx.run}`, `iteration: ${iteration}`, `stage: ${stage}`, ...metrics].join('\n'),
  });
  const published: PublishedStage = {
    repo,
    branch,
    commit: result.commit,
    changed: result.changed,
    uploaded: result.uploaded,
    publishedAt: ctx.now().toISOString(),
    files: files.map((f) => ({
      output: f.output,
      path: f.path,
      bytes: f.size,
      sha256: f.sha256,
      location: ctx.backend.location(repo, branch, f.path, f.sha256),
    })),
  };
  if (result.changed) {
    ctx.tally.commits += 1;
    ctx.tally.files += result.uploaded;
  }
  updateArtifacts(ctx.paths, iteration, storeNote(ctx), (a) => void (a.stages[stage] = published));
  const what = result.changed
    ? `${files.length} file(s), ${result.uploaded} sent, commit ${result.commit.slice(0, 8)}`
    : 'unchanged, no commit';
  ctx.report(`published ${stage} of iteration ${iteration} to ${repo.id}@${branch}: ${what}`);
  return published;
}

// Makes sure the repo and its branch iter-N exist, iter-N starting where the previous iteration ended.
export async function prepareBranch(ctx: PublishContext, repo: RepoRef, iteration: number): Promise<string> {
  await ctx.backend.ensureRepo(repo, { private: ctx.private });
  const branch = iterationBranch(iteration);
  const previous = iteration > 0 ? iterationBranch(iteration - 1) : 'main';
  const refs = await ctx.backend.refs(repo);
  if (!refs.branches[branch]) await ctx.backend.ensureBranch(repo, branch, refs.branches[previous] ? previous : 'main');
  return branch;
}
