// The evolve loop's stages, in the order one iteration runs them. Iteration 0 runs only the INITIAL ones.
export const EVOLVE_STAGES = ['sample_rm', 'grade', 'train_rm', 'sample_sft', 'score', 'select', 'train_sft', 'eval'] as const;

export type EvolveStage = (typeof EVOLVE_STAGES)[number];

/** Stages that also run in iteration 0 (the initial SFT model and its evaluation). */
export const INITIAL_STAGES: readonly EvolveStage[] = ['train_sft', 'eval'];

/** Stages a recipe may leave out (a sampler that grades or scores as it goes). */
export const OPTIONAL_STAGES: readonly EvolveStage[] = ['grade', 'score'];

// Tells whether a stage name belongs to the evolve loop.
export function isEvolveStage(name: string): name is EvolveStage {
  return (EVOLVE_STAGES as readonly string[]).includes(name);
}

// The RL phase's stages (a recipe's optional `rl:` section), run once after the loop stops, in this order:
// sample 8 responses per RL query with the final SFT model, grade them, keep queries with 2 to 5 correct,
// train with GRPO against the final RM, evaluate. Their folders live in the run's `rl/` folder.
export const RL_STAGES = ['rl_sample', 'rl_grade', 'rl_filter', 'rl_train', 'rl_eval'] as const;

export type RlStage = (typeof RL_STAGES)[number];

/** Any stage the run machine can invoke: the loop's or the RL phase's. */
export type LoopStage = EvolveStage | RlStage;

/** RL stages a recipe may leave out (a sampler that grades as it goes). */
export const OPTIONAL_RL_STAGES: readonly RlStage[] = ['rl_grade'];

// Tells whether a stage name belongs to the RL phase.
export function isRlStage(name: string): name is RlStage {
  return (RL_STAGES as readonly string[]).includes(name);
}

// Tells whether a stage name is one the run machine knows (loop or RL).
export function isLoopStage(name: string): name is LoopStage {
  return isEvolveStage(name) || isRlStage(name);
}
