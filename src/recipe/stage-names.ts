// The evolve loop's stages, in the order one iteration runs them. Iteration 0 runs only the INITIAL ones.
export const EVOLVE_STAGES = [
  'sample_rm',
  'grade',
  'train_rm',
  'sample_sft',
  'score',
  'select',
  'train_sft',
  'eval',
] as const;

export type EvolveStage = (typeof EVOLVE_STAGES)[number];

/** Stages that also run in iteration 0 (the initial SFT model and its evaluation). */
export const INITIAL_STAGES: readonly EvolveStage[] = ['train_sft', 'eval'];

/** Stages a recipe may leave out (a sampler that grades or scores as it goes). */
export const OPTIONAL_STAGES: readonly EvolveStage[] = ['grade', 'score'];

// Tells whether a stage name belongs to the evolve loop.
export function isEvolveStage(name: string): name is EvolveStage {
  return (EVOLVE_STAGES as readonly string[]).includes(name);
}
