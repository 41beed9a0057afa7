import type { Recipe } from '../recipe/types.ts';
import { findProgram } from './common/find-program.ts';

// Warnings for `loop plan`: a local stage whose program does not exist or is not executable here (a command's first
// element, with {{ recipe_dir }} filled in, looked up as the stage would start it: against the recipe's folder, or on
// PATH). Other executors run elsewhere, and a program naming another placeholder is only known at run time: skipped.
export function checkPrograms(recipe: Recipe, pathVariable: string | undefined): string[] {
  const warnings: string[] = [];
  for (const stage of recipe.stages) {
    if (stage.executor.kind !== 'local') continue;
    const program = String(stage.command[0] ?? '').replace(/\{\{\s*recipe_dir\s*\}\}/g, recipe.recipeDir);
    if (program === '' || program.includes('{{')) continue;
    const { error } = findProgram(program, recipe.recipeDir, pathVariable);
    if (error) warnings.push(`stage ${stage.name}: ${error}`);
  }
  return warnings;
}
