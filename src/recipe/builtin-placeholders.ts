// Placeholders every stage may use, and what each means (docs/stage-contract.md lists the same).
export const BUILTIN_PLACEHOLDERS = {
  out: "the stage's output directory (empty at the start of each attempt)",
  iteration: 'the iteration number (0 is the initial SFT model)',
  seed: 'a seed derived from the recipe seed, the iteration and the stage',
  attempt: 'the attempt number, from 1',
  run: 'the run name',
  run_dir: 'the run directory',
  recipe_dir: 'the folder holding the recipe file',
  stage: 'the stage name',
  shard: "the shard's index, from 0 (0 for a stage without shards)",
  shards: 'the number of shards (1 for a stage without shards)',
} as const;

export type BuiltinPlaceholder = keyof typeof BUILTIN_PLACEHOLDERS;

// Tells whether a one-segment placeholder is a built-in.
export function isBuiltinPlaceholder(name: string): name is BuiltinPlaceholder {
  return Object.hasOwn(BUILTIN_PLACEHOLDERS, name);
}
