import { readFileSync } from 'node:fs';
import path from 'node:path';
import { LineCounter, parseDocument, type Document } from 'yaml';
import { recipeSchema, type RawRecipe } from './schema.ts';
import { RecipeError, type RecipeIssue } from './recipe-error.ts';
import { applyOverrides, dropOptionsOfSwitchedExecutors, type Override } from './apply-overrides.ts';
import { describeIssue } from './describe-issue.ts';
import { locate, type PathSegment } from './locate.ts';
import { checkPlaceholders, type RuleIssue } from './check-placeholders.ts';
import { checkMetrics } from './check-metrics.ts';
import { checkOutputs } from './check-outputs.ts';
import { checkRayCopies } from './check-ray-copies.ts';
import { checkLiteralValues } from './check-literal-values.ts';
import { checkInputsExist } from './check-inputs.ts';
import { normalize } from './normalize.ts';
import { expandBuiltinStages, originOf } from './expand-builtin-stages.ts';
import type { Recipe } from './types.ts';

export interface LoadOptions {
  /** `--set path=value` overrides, applied in order. */
  sets?: string[];
  /** Check that local input files exist (a run needs them; `loop plan` does not). */
  checkInputs?: boolean;
}

// The recipe pipeline: read → YAML → overrides → schema → cross-field rules → normalize; throws one RecipeError with every issue.
export function loadRecipe(file: string, options: LoadOptions = {}): Recipe {
  const shown = path.relative(process.cwd(), file) || file;
  const source = readSource(file, shown);
  return loadRecipeSource(source, shown, path.resolve(file), options);
}

// The same pipeline on a recipe held in memory (tests, recipes written back); `shown` names it in messages.
export function loadRecipeSource(source: string, shown: string, file: string, options: LoadOptions = {}): Recipe {
  const counter = new LineCounter();
  const doc = parseDocument(source, { lineCounter: counter, uniqueKeys: true, prettyErrors: false });
  if (doc.errors.length > 0) {
    throw new RecipeError(
      doc.errors.map((error) => {
        const pos = counter.linePos(error.pos[0]);
        return { file: shown, line: pos.line, col: pos.col, path: '', message: yamlMessage(error.message) };
      }),
    );
  }
  if (doc.contents === null) {
    throw new RecipeError([{ file: shown, line: 1, col: 1, path: '', message: 'the recipe is empty: start from recipes/quickstart.yaml' }]);
  }
  const { applied, issues: overrideIssues } = applyOverrides(doc, shown, options.sets ?? []);
  if (overrideIssues.length > 0) throw new RecipeError(overrideIssues);
  const where = (issue: RuleIssue): RecipeIssue => place(doc, counter, source, shown, applied, issue);

  let data: unknown;
  try {
    data = doc.toJS();
  } catch (error) {
    const message = (error as Error).message;
    // The yaml library stops an alias bomb (aliases of aliases, expanding without end) with "Excessive alias count".
    const why = /excessive alias count/i.test(message)
      ? 'the recipe has too many aliases (*name): expanding them would make it enormous; ' +
        'write the repeated part out, or use fewer aliases of aliases'
      : `${message}; define each anchor (&name) before its aliases (*name)`;
    throw new RecipeError([{ file: shown, line: 1, col: 1, path: '', message: why }]);
  }
  dropOptionsOfSwitchedExecutors(data, applied);
  const parsed = recipeSchema.safeParse(data, { reportInput: true });
  if (!parsed.success) {
    const issues = parsed.error.issues.flatMap((issue) => describeIssue(issue, recipeSchema, data));
    throw new RecipeError(issues.map((i) => where({ path: i.path, message: i.message, atKey: i.atKey })));
  }
  const expanded = expandBuiltinStages(parsed.data);
  if (expanded.issues.length > 0) throw new RecipeError(expanded.issues.map(where));
  const raw: RawRecipe = expanded.raw;
  const normalized = normalize(raw, file);
  const ruleIssues = [
    ...checkPlaceholders(raw).map((i) => originOf(i, expanded.origins)),
    ...checkMetrics(raw),
    ...checkOutputs(raw),
    ...checkRayCopies(raw),
    ...checkLiteralValues(raw),
    ...normalized.issues,
  ];
  if (ruleIssues.length > 0 || !normalized.recipe) throw new RecipeError(ruleIssues.map(where));
  if (options.checkInputs) {
    const missing = checkInputsExist(normalized.recipe);
    if (missing.length > 0) throw new RecipeError(missing.map(where));
  }
  return normalized.recipe;
}

function readSource(file: string, shown: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory, not a recipe file' : String(code);
    throw new RecipeError([
      {
        file: shown,
        line: 1,
        col: 1,
        path: '',
        message: `cannot read the recipe: ${why}; pass the path of a .yaml recipe, e.g. recipes/quickstart.yaml`,
      },
    ]);
  }
}

// Locates a rule issue: in an override when the value came from `--set`, else at its line and column in the file.
function place(doc: Document, counter: LineCounter, source: string, shown: string, applied: Override[], issue: RuleIssue): RecipeIssue {
  const keyPath = formatPath(issue.path);
  const override = [...applied].reverse().find((o) => startsWith(issue.path, o.path) || startsWith(o.path, issue.path));
  if (override && startsWith(issue.path, override.path)) {
    return { file: shown, override: override.text, path: keyPath, message: issue.message };
  }
  const at = locate(doc, counter, issue.path, issue.atKey ?? false);
  if (issue.column !== undefined && at.found.length === issue.path.length) {
    const quote = source[at.offset];
    const pos = counter.linePos(at.offset + (quote === '"' || quote === "'" ? 1 : 0) + issue.column);
    return { file: shown, line: pos.line, col: pos.col, path: keyPath, message: issue.message };
  }
  return { file: shown, line: at.line, col: at.col, path: keyPath, message: issue.message };
}

// Key paths as users write them: stages.train_sft.command[2].
export function formatPath(segments: PathSegment[]): string {
  return segments.reduce<string>((text, seg) => (typeof seg === 'number' ? `${text}[${seg}]` : text ? `${text}.${seg}` : seg), '');
}

function startsWith(path: PathSegment[], prefix: PathSegment[]): boolean {
  return prefix.length <= path.length && prefix.every((seg, i) => String(seg) === String(path[i]));
}

// YAML parser messages carry a code snippet after the first line; one line is what users get.
function yamlMessage(message: string): string {
  const first = message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
  if (/duplicate key/i.test(first) || /unique/i.test(first)) return `${first}: each key may appear once in a mapping; remove or rename one`;
  return `${first}; fix the YAML syntax (indentation, a missing ":" or an unclosed quote or bracket)`;
}
