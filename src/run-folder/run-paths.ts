import path from 'node:path';
import { isRlStage } from '../recipe/stage-names.ts';
import { checkName } from '../recipe/check-name.ts';
import { joinInside } from './join-inside.ts';

// Every path inside a run directory, in one place (docs/run-directory.md describes the same layout).
export interface RunPaths {
  root: string;
  recipe: string;
  recipeSource: string;
  state: string;
  events: string;
  /** iterations.jsonl: one line per finished iteration (its metrics and stage timings), append-only. */
  index: string;
  iterations: string;
  /** The RL phase's folder: one folder per RL stage, beside iterations/. */
  rl: string;
  iteration(index: number): string;
  stage(index: number, stage: string): string;
  stageOut(index: number, stage: string): string;
  stageLog(index: number, stage: string): string;
  stageStatus(index: number, stage: string): string;
}

// The folder holding `runs/`: --home, else $LOOP_HOME, else ./.loop.
export function loopHome(flag: string | undefined, env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): string {
  return path.resolve(cwd, flag ?? env.LOOP_HOME ?? '.loop');
}

export function runsDir(home: string): string {
  return path.join(home, 'runs');
}

// The paths of one run. The name is checked first (src/recipe/check-name.ts), so no command can build a path that
// leaves runs/ from a name it was given (`loop status ../../x`), and each folder from a name stays inside its parent.
export function runPaths(home: string, name: string): RunPaths {
  const root = joinInside(runsDir(home), checkName(name));
  const iterations = path.join(root, 'iterations');
  const rl = path.join(root, 'rl');
  // The RL phase runs once, so its stages' folders are rl/STAGE whatever the iteration.
  const stage = (index: number, s: string) => (isRlStage(s) ? joinInside(rl, s) : joinInside(path.join(iterations, String(index)), s));
  return {
    root,
    recipe: path.join(root, 'recipe.json'),
    recipeSource: path.join(root, 'recipe.yaml'),
    state: path.join(root, 'state.json'),
    events: path.join(root, 'events.jsonl'),
    index: path.join(root, 'iterations.jsonl'),
    iterations,
    rl,
    iteration: (index) => path.join(iterations, String(index)),
    stage,
    stageOut: (index, s) => path.join(stage(index, s), 'out'),
    stageLog: (index, s) => path.join(stage(index, s), 'log.txt'),
    stageStatus: (index, s) => path.join(stage(index, s), 'status.json'),
  };
}
