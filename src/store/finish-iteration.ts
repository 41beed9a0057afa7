import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { RECENT_ITERATIONS, readIterations, readRecentIterations, readRlPhase } from '../metrics/read-run-report.ts';
import { readProvenance, provenanceFile } from '../provenance/read-provenance.ts';
import { iterationBranch } from './artifact-layout.ts';
import { updateArtifacts } from './artifacts-journal.ts';
import { commitFiles } from './commit-files.ts';
import { modelCard } from './model-card.ts';
import { storeNote, type PublishContext } from './publish-context.ts';
import type { RepoRef, SourceFile } from './store-backend.ts';
import { createHash } from 'node:crypto';
import { readFileSync, existsSync } from 'node:fs';

// Closes an iteration in the store: the iteration's metrics and provenance in the dataset repo, the model cards,
// then, when it is the run's latest finished iteration, `main` moved to iter-N and the `best` tag to the best
// iteration so far (an older iteration published again moves no ref).
export async function finishIteration(ctx: PublishContext, iteration: number, options: { latest: boolean }): Promise<void> {
  const branch = iterationBranch(iteration);
  const repos: RepoRef[] = [];
  for (const repo of [ctx.repos.sft, ctx.repos.rm, ctx.repos.rl, ctx.repos.data]) {
    const refs = await ctx.backend.refs(repo).catch(() => undefined);
    if (refs?.branches[branch]) repos.push(repo);
  }
  if (repos.length === 0) {
    // No stage of this iteration published anything (no declared outputs): no card, no metrics commit, no ref.
    updateArtifacts(ctx.paths, iteration, storeNote(ctx), (a) => void (a.finished = { at: ctx.now().toISOString(), commits: {} }));
    return;
  }
  // The last iterations through this one, read from the index's end; the best so far from its running totals.
  const recent = readRecentIterations(ctx.paths, ctx.recipe, iteration, RECENT_ITERATIONS);
  const iterations = recent
    ? recent.iterations.filter((it) => it.index <= iteration)
    : readIterations(ctx.paths).filter((it) => it.index <= iteration);
  const dir = path.join(ctx.paths.iteration(iteration), 'store');
  mkdirSync(dir, { recursive: true });
  const current = iterations.find((it) => it.index === iteration)?.metrics ?? {};
  const commits: Record<string, string> = {};
  const sources: SourceFile[] = [source(dir, 'metrics.json', `${JSON.stringify(current, null, 2)}\n`)];
  if (existsSync(provenanceFile(ctx.paths, iteration))) sources.push(fromFile('provenance.json', provenanceFile(ctx.paths, iteration)));
  for (const repo of repos) {
    const role = repo === ctx.repos.sft ? 'sft' : repo === ctx.repos.rm ? 'rm' : repo === ctx.repos.rl ? 'rl' : undefined;
    const files = role
      ? [
          source(
            dir,
            `README-${role}.md`,
            modelCard({
              repoId: repo.id,
              role,
              run: ctx.run,
              iteration,
              datasetRepo: ctx.repos.data.id,
              baseModel: baseModel(ctx),
              mainMetric: ctx.recipe.mainMetric,
              iterations,
              earlier: recent?.earlier ?? 0,
              provenance: readProvenance(ctx.paths, iteration),
              ...(role === 'rl' ? { rl: { metrics: readRlPhase(ctx.paths)?.metrics ?? {}, sftRepo: ctx.repos.sft.id } } : {}),
            }),
            'README.md',
          ),
        ]
      : sources;
    const metricText = Object.entries(current)
      .filter(([k]) => k === ctx.recipe.mainMetric)
      .map(([k, v]) => ` (${k} = ${v})`)
      .join('');
    const result = await commitFiles(
      { backend: ctx.backend, sleep: ctx.sleep },
      repo,
      branch,
      files,
      files.map((f) => f.path),
      {
        title: `${ctx.run} iteration ${iteration}: ${role ? 'model card' : 'metrics and provenance'}${metricText}`,
        description: [
          `run: ${ctx.run}`,
          `iteration: ${iteration}`,
          'stage: (end of iteration)',
          ...Object.entries(current).map(([k, v]) => `${k} = ${v}`),
        ].join('\n'),
      },
    );
    commits[repo.id] = result.commit;
    if (result.changed) {
      ctx.tally.commits += 1;
      ctx.tally.files += result.uploaded;
    }
    if (options.latest) await moveRef(ctx, repo, 'branch', 'main', result.commit, branch);
  }
  const best = recent?.totals ? recent.totals.best?.iteration : bestIteration(ctx, iterations);
  if (best !== undefined && options.latest) {
    // The RL policy is one model, not one per iteration: it gets no `best`.
    for (const repo of repos.filter((r) => r !== ctx.repos.rl)) await moveRef(ctx, repo, 'tag', 'best', undefined, iterationBranch(best));
  }
  updateArtifacts(ctx.paths, iteration, storeNote(ctx), (a) => void (a.finished = { at: ctx.now().toISOString(), commits }));
  const moved = options.latest ? ` → main${best === undefined ? '' : `, best = iter-${best}`}` : '';
  ctx.report(`finished iteration ${iteration} in the store: ${repos.map((r) => r.id).join(', ')}${moved}`);
}

// Points a branch or tag at a revision unless it already points there (so republishing changes nothing).
export async function moveRef(
  ctx: PublishContext,
  repo: RepoRef,
  kind: 'branch' | 'tag',
  name: string,
  commit: string | undefined,
  revision: string,
): Promise<void> {
  const refs = await ctx.backend.refs(repo);
  const target = commit ?? refs.branches[revision];
  if (target === undefined) return;
  const now = kind === 'branch' ? refs.branches[name] : refs.tags[name];
  if (now === target) return;
  if (kind === 'branch') await ctx.backend.setBranch(repo, name, revision);
  else await ctx.backend.setTag(repo, name, revision, `${ctx.run}: ${name} is ${revision}`);
}

// The iteration with the best main metric (the recipe says whether higher or lower is better).
function bestIteration(ctx: PublishContext, iterations: Array<{ index: number; metrics: Record<string, number> }>): number | undefined {
  const higher = ctx.recipe.metrics.find((m) => m.name === ctx.recipe.mainMetric)?.higherIsBetter ?? true;
  let best: { index: number; value: number } | undefined;
  for (const it of iterations) {
    const value = it.metrics[ctx.recipe.mainMetric];
    if (value === undefined) continue;
    if (!best || (higher ? value > best.value : value < best.value)) best = { index: it.index, value };
  }
  return best?.index;
}

function baseModel(ctx: PublishContext): string | undefined {
  const value = ctx.recipe.vars.base_model;
  return typeof value === 'string' ? value : undefined;
}

function source(dir: string, name: string, text: string, repoPath = name): SourceFile {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return fromFile(repoPath, file);
}

function fromFile(repoPath: string, file: string): SourceFile {
  const bytes = readFileSync(file);
  return { path: repoPath, file, size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
}
