import { statSync } from 'node:fs';
import path from 'node:path';
import type { RepoRef } from './store-backend.ts';

export interface RunRepos {
  sft: RepoRef;
  rm: RepoRef;
  /** The RL phase's policy (docs/rl-phase.md): made only by a run whose RL phase trains one. */
  rl: RepoRef;
  data: RepoRef;
}

// The repositories of a run (docs/artifacts.md): models NAMESPACE/RUN-sft, NAMESPACE/RUN-rm and, after an RL
// phase, NAMESPACE/RUN-rl; dataset NAMESPACE/RUN-data.
export function runRepos(namespace: string, run: string): RunRepos {
  return {
    sft: { type: 'model', id: `${namespace}/${run}-sft` },
    rm: { type: 'model', id: `${namespace}/${run}-rm` },
    rl: { type: 'model', id: `${namespace}/${run}-rl` },
    data: { type: 'dataset', id: `${namespace}/${run}-data` },
  };
}

// The stages whose outputs are a model with a repo of its own, and that repo.
const MODEL_STAGES = { train_sft: 'sft', train_rm: 'rm', rl_train: 'rl' } as const;

// Where a stage's outputs go: the trained models at the root of their model repo (so `revision="iter-3"` loads
// them), everything else under the stage's name in the dataset repo.
export function stageTarget(repos: RunRepos, stage: string): { repo: RepoRef; prefix: string } {
  const role = Object.hasOwn(MODEL_STAGES, stage) ? MODEL_STAGES[stage as keyof typeof MODEL_STAGES] : undefined;
  return { repo: role ? repos[role] : repos.data, prefix: stagePrefix(stage) };
}

// The folder a stage's outputs go under in its repo: none for the models, the stage's name in the dataset repo.
// `kind` names the repo's kind where it is known (a publication's record), else the stage decides.
export function stagePrefix(stage: string, kind: 'model' | 'dataset' = Object.hasOwn(MODEL_STAGES, stage) ? 'model' : 'dataset'): string {
  return kind === 'model' ? '' : `${stage}/`;
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
