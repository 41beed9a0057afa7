import { LoopError } from '../errors/loop-error.ts';

// One problem in a recipe, located in its file (line/col 1-based) or in a `--set` override.
export interface RecipeIssue {
  file: string;
  line?: number;
  col?: number;
  /** The `--set path=value` argument the bad value came from, when it came from one. */
  override?: string;
  path: string;
  message: string;
}

// Renders an issue as the one line users see: FILE:LINE:COL: key.path: what is wrong and how to fix it.
export function formatRecipeIssue(issue: RecipeIssue): string {
  const where = issue.override ? `${issue.file}: --set ${issue.override}` : `${issue.file}:${issue.line ?? 1}:${issue.col ?? 1}`;
  return issue.path ? `${where}: ${issue.path}: ${issue.message}` : `${where}: ${issue.message}`;
}

// Every problem found in a recipe at once, so a user fixes them in one pass.
export class RecipeError extends LoopError {
  readonly issues: RecipeIssue[];

  constructor(issues: RecipeIssue[]) {
    const sorted = [...issues].sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.col ?? 0) - (b.col ?? 0));
    super('E_RECIPE', sorted.map(formatRecipeIssue).join('\n'));
    this.name = 'RecipeError';
    this.issues = sorted;
  }
}
