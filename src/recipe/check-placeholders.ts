import type { RawRecipe } from './schema.ts';
import type { PathSegment } from './locate.ts';
import { parseTemplate, PlaceholderSyntaxError, placeholderText, type Placeholder } from './placeholders.ts';
import { isBuiltinPlaceholder, BUILTIN_PLACEHOLDERS } from './builtin-placeholders.ts';
import { EVOLVE_STAGES, INITIAL_STAGES, type EvolveStage } from './stage-names.ts';
import { didYouMean } from './suggest.ts';

// A problem found by a cross-field rule; `column` is an offset inside the scalar at `path`.
export interface RuleIssue {
  path: PathSegment[];
  message: string;
  column?: number;
  atKey?: boolean;
}

// Checks every placeholder in commands and environment values: the name exists, and it has a value the first time its stage runs.
export function checkPlaceholders(raw: RawRecipe): RuleIssue[] {
  const issues: RuleIssue[] = [];
  const stages = raw.stages as Record<string, { command: Array<string | number>; env?: Record<string, unknown>; outputs?: Record<string, string> } | undefined>;
  for (const consumer of EVOLVE_STAGES) {
    const stage = stages[consumer];
    if (!stage) continue;
    const templates: Array<[PathSegment[], string]> = [
      ...stage.command.map((arg, i): [PathSegment[], string] => [['stages', consumer, 'command', i], String(arg)]),
      ...Object.entries(stage.env ?? {}).map(([key, value]): [PathSegment[], string] => [['stages', consumer, 'env', key], String(value)]),
    ];
    for (const [path, text] of templates) {
      let parts;
      try {
        parts = parseTemplate(text);
      } catch (error) {
        if (error instanceof PlaceholderSyntaxError) issues.push({ path, message: error.message, column: error.offset });
        continue;
      }
      for (const part of parts) {
        if (typeof part !== 'string') issues.push(...checkPlaceholder(raw, stages, consumer, part, path));
      }
    }
  }
  return issues;
}

function checkPlaceholder(
  raw: RawRecipe,
  stages: Record<string, { outputs?: Record<string, string> } | undefined>,
  consumer: EvolveStage,
  p: Placeholder,
  path: PathSegment[],
): RuleIssue[] {
  const issues: RuleIssue[] = [];
  let alwaysAvailable = false;
  const late: string[] = [];
  for (const ref of p.alternatives) {
    const problem = unknownReference(raw, stages, ref);
    if (problem) {
      issues.push({ path, message: `${placeholderText(p)}: ${problem}`, column: p.start });
      continue;
    }
    const producer = ref.length === 2 && isStage(ref[0]!) ? ref[0] : undefined;
    if (!producer || availableBefore(consumer, producer as EvolveStage)) alwaysAvailable = true;
    else late.push(ref.join('.'));
  }
  if (issues.length === 0 && !alwaysAvailable) {
    const when = INITIAL_STAGES.includes(consumer) ? 'iteration 0' : 'iteration 1';
    issues.push({
      path,
      column: p.start,
      message:
        `${placeholderText(p)}: ${late.join(' and ')} does not exist yet when ${consumer} first runs (${when}); ` +
        `add a fallback that always exists, e.g. {{ ${late[0]} ?? inputs.NAME }}`,
    });
  }
  return issues;
}

// Why a reference names nothing, or undefined when it is known.
function unknownReference(
  raw: RawRecipe,
  stages: Record<string, { outputs?: Record<string, string> } | undefined>,
  ref: string[],
): string | undefined {
  const [root, name, ...rest] = ref as [string, string | undefined, ...string[]];
  if (ref.length === 1) {
    if (isBuiltinPlaceholder(root)) return undefined;
    return `unknown placeholder "${root}".${didYouMean(root, Object.keys(BUILTIN_PLACEHOLDERS))} Built-ins: ${Object.keys(BUILTIN_PLACEHOLDERS).join(', ')}; or vars.NAME, inputs.NAME, STAGE.OUTPUT`;
  }
  if (rest.length > 0) return `"${ref.join('.')}" has too many parts: write vars.NAME, inputs.NAME or STAGE.OUTPUT`;
  if (root === 'vars' || root === 'inputs') {
    const known = Object.keys((root === 'vars' ? raw.vars : raw.inputs) ?? {});
    if (known.includes(name!)) return undefined;
    return `no ${root === 'vars' ? 'variable' : 'input'} "${name}" under ${root}.${didYouMean(name!, known)} Define it under "${root}:"`;
  }
  if (isStage(root)) {
    const stage = stages[root];
    if (!stage) return `stage ${root} is not defined in this recipe; define it under "stages:" or remove the reference`;
    const outputs = Object.keys(stage.outputs ?? {});
    if (outputs.includes(name!)) return undefined;
    return `stage ${root} declares no output "${name}".${didYouMean(name!, outputs)} Declare it under stages.${root}.outputs${outputs.length ? ` (declared: ${outputs.join(', ')})` : ''}`;
  }
  const roots = ['vars', 'inputs', ...EVOLVE_STAGES];
  return `unknown placeholder "${ref.join('.')}".${didYouMean(root, roots)} Use vars.NAME, inputs.NAME or STAGE.OUTPUT with STAGE one of ${EVOLVE_STAGES.join(', ')}`;
}

// Whether a producer's output already exists the first time a consumer runs (iteration 0 for initial stages, 1 for the rest).
export function availableBefore(consumer: EvolveStage, producer: EvolveStage): boolean {
  if (INITIAL_STAGES.includes(consumer)) {
    return INITIAL_STAGES.indexOf(producer) >= 0 && INITIAL_STAGES.indexOf(producer) < INITIAL_STAGES.indexOf(consumer);
  }
  return INITIAL_STAGES.includes(producer) || EVOLVE_STAGES.indexOf(producer) < EVOLVE_STAGES.indexOf(consumer);
}

function isStage(name: string): name is EvolveStage {
  return (EVOLVE_STAGES as readonly string[]).includes(name);
}
