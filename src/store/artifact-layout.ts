import { statSync } from 'node:fs';
import path from 'node:path';
import type { RepoRef } from './store-backend.ts';

export interface RunRepos {
  sft: RepoRef;
  rm: RepoRef;
  data: RepoRef;
}

// The three repositories of a run (docs/artifacts.md): models NAMESPACE/RUN-sft and NAMESPACE/RUN-rm, dataset
// NAMESPACE/RUN-data.
export function runRepos(namespace: string, run: string): RunRepos {
  return {
    sft: { type: 'model', id: `${namespace}/${run}-sft` },
    rm: { type: 'model', id: `${namespace}/${run}-rm` },
    data: { type: 'dataset', id: `${namespace}/${run}-data` },
  };
}

// Where a stage's outputs go: the trained models at the root of their model repo (so `revision="iter-3"` loads
// them), everything else under the stage's name in the dataset repo.
export function stageTarget(repos: RunRepos, stage: string): { repo: RepoRef; prefix: string } {
  const repo = stage === 'train_sft' ? repos.sft : stage === 'train_rm' ? repos.rm : repos.data;
  return { repo, prefix: stagePrefix(stage) };
}

// The folder a stage's outputs go under in its repo: none for the models, the stage's name in the dataset repo.
export function stagePrefix(stage: string): string {
  return stage === 'train_sft' || stage === 'train_rm' ? '' : `${stage}/`;
}

// The branch holding iteration N.
export function iterationBranch(iteration: number): string {
  return `iter-${iteration}`;
}

// The files of a model repo that no stage owns: the model card, rewritten each iteration, and the Hub's own.
export const MODEL_REPO_FILES = ['README.md', '.gitattributes'];

// The output whose folder goes at the root of the model repo, its contents without the folder's name: a model
// stage's only output when it is a folder (`outputs: { model: model }`), so that `from_pretrained(REPO,
// revision="iter-N")`, `snapshot_download` and `loop pull` give the folder transformers loads; its own README.md
// and .gitattributes are left out (the repo's are loop's card and the Hub's). None otherwise.
export function outputAtRoot(stage: string, outputs: Record<string, string>, outDir: string): string | undefined {
  const names = Object.keys(outputs);
  if (stagePrefix(stage) !== '' || names.length !== 1) return undefined;
  const info = statSync(path.join(outDir, outputs[names[0]!]!), { throwIfNoEntry: false });
  return info?.isDirectory() ? names[0] : undefined;
}
