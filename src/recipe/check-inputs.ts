import { existsSync } from 'node:fs';
import type { Recipe } from './types.ts';
import { isUrl } from './names.ts';
import type { RuleIssue } from './check-placeholders.ts';

// Checks that local input files exist before a run starts, so a typo fails in a second, not after the first GPU job.
export function checkInputsExist(recipe: Recipe): RuleIssue[] {
  return Object.entries(recipe.inputs)
    .filter(([, value]) => !isUrl(value) && !existsSync(value))
    .map(([name, value]) => ({
      path: ['inputs', name],
      message: `no file at ${value}; fix the path (a relative path resolves against the recipe's folder)`,
    }));
}
