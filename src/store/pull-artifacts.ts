import path from 'node:path';
import { RunNotFoundError, UsageError } from '../errors/loop-error.ts';
import { readRunRecipe } from '../run-folder/read-run-recipe.ts';
import { runPaths } from '../run-folder/run-paths.ts';
import { rlPhaseIteration } from '../run-folder/stage-record.ts';
import { isRlStage } from '../recipe/stage-names.ts';
import { sha256File } from '../fs/sha256-file.ts';
import { existsSync, mkdirSync, realpathSync, rmSync } from 'node:fs';
import { readArtifacts } from './artifacts-journal.ts';
import { stagePrefix } from './artifact-layout.ts';
import { openBackend, type BackendDeps, DEFAULT_STORE } from './open-backend.ts';
import { safeRelative } from './collect-output-files.ts';
import { StoreError } from './store-error.ts';

export interface PullRequest extends BackendDeps {
  home: string;
  run: string;
  iteration: number;
  stage: string;
  dir: string;
  onFile?: (file: string, bytes: number) => void;
}

// Downloads one stage's published outputs of one iteration into DIR, from the exact commit they were published
// in, each file checked against its recorded sha256. A path that would land outside DIR is refused.
export async function pullArtifacts(request: PullRequest): Promise<Array<{ file: string; bytes: number }>> {
  const paths = runPaths(request.home, request.run);
  if (!existsSync(paths.recipe)) throw new RunNotFoundError(request.run, request.home);
  const recipe = readRunRecipe(paths);
  if (!recipe.stages.some((s) => s.name === request.stage)) {
    throw new UsageError(`run ${request.run} has no stage "${request.stage}"; its stages: ${recipe.stages.map((s) => s.name).join(', ')}`);
  }
  const published = readArtifacts(paths, request.iteration)?.stages[request.stage];
  if (!published) {
    // The RL phase ran once, after one iteration, and its folders (rl/STAGE) are the same whatever the iteration asked.
    const rlAfter = isRlStage(request.stage) ? rlPhaseIteration(paths) : undefined;
    if (rlAfter !== undefined && rlAfter !== request.iteration) {
      throw new UsageError(
        `${request.stage} belongs to the RL phase, which ran after iteration ${rlAfter} only: ` +
          `\`loop pull ${request.run}@${rlAfter} ${request.stage} ${request.dir}\``,
      );
    }
    throw new StoreError(
      `${request.stage} of iteration ${request.iteration} of run ${request.run} was not published; \`loop artifacts ${request.run}\` ` +
        `lists what was, \`loop publish ${request.run}\` uploads what is pending`,
    );
  }
  const backend = openBackend(recipe.store ?? DEFAULT_STORE, request.home, request);
  // The folder the outputs were published under: the stage's name in the dataset repo, none in a model repo (runs
  // published before the RL policy had a repo of its own have rl_train's outputs in the dataset repo).
  const prefix = stagePrefix(request.stage, published.repo.type);
  const root = path.resolve(request.dir);
  mkdirSync(root, { recursive: true });
  const realRoot = realpathSync(root);
  const pulled: Array<{ file: string; bytes: number }> = [];
  for (const f of published.files) {
    const rel = safeRelative(f.path.startsWith(prefix) ? f.path.slice(prefix.length) : f.path, `artifact ${f.path}`);
    const dest = path.resolve(root, rel);
    if (!dest.startsWith(`${root}${path.sep}`) || !insideReal(realRoot, path.dirname(dest))) {
      throw new StoreError(`artifact ${f.path} would be written outside ${root} (a ".." or a symbolic link on the way); refusing`);
    }
    const downloaded = await backend.download(published.repo, published.commit, f.path, dest);
    const sha = downloaded.sha256 ?? (await sha256File(dest));
    if (sha !== f.sha256) {
      rmSync(dest, { force: true });
      throw new StoreError(
        `${f.path} downloaded from ${published.repo.id}@${published.commit.slice(0, 8)} hashes to ${sha}, not the published ` +
          `${f.sha256}; the store holds different bytes`,
      );
    }
    pulled.push({ file: dest, bytes: f.bytes });
    request.onFile?.(dest, f.bytes);
  }
  return pulled;
}

// Whether a folder, as far as it exists, really lies inside root (symbolic links followed).
function insideReal(realRoot: string, dir: string): boolean {
  let probe = dir;
  while (!existsSync(probe)) probe = path.dirname(probe);
  const real = realpathSync(probe);
  return real === realRoot || real.startsWith(`${realRoot}${path.sep}`);
}
