import type { RawRecipe } from './schema.ts';
import type { PathSegment } from './locate.ts';
import { parseTemplate, PlaceholderSyntaxError, placeholderText, type Placeholder } from './placeholders.ts';
import { isBuiltinPlaceholder, BUILTIN_PLACEHOLDERS } from './builtin-placeholders.ts';
import { EVOLVE_STAGES, INITIAL_STAGES, RL_STAGES, isLoopStage, isRlStage, type EvolveStage, type LoopStage } from './stage-names.ts';
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
  // The RL phase's stages are checked too, even when it is disabled: `--set rl.enabled=true` must not uncover mistakes.
  const stages = { ...raw.stages, ...(raw.rl?.stages ?? {}) } as Record<
    string,
    { command: Array<string | number>; env?: Record<string, unknown>; outputs?: Record<string, string> } | undefined
  >;
  for (const consumer of [...EVOLVE_STAGES, ...RL_STAGES]) {
    const stage = stages[consumer];
    if (!stage) continue;
    const at: PathSegment[] = isRlStage(consumer) ? ['rl', 'stages', consumer] : ['stages', consumer];
    const templates: Array<[PathSegment[], string]> = [
      ...stage.command.map((arg, i): [PathSegment[], string] => [[...at, 'command', i], String(arg)]),
      ...Object.entries(stage.env ?? {}).map(([key, value]): [PathSegment[], string] => [[...at, 'env', key], String(value)]),
    ];
    for (const [path, text] of templates) {
      let parts: ReturnType<typeof parseTemplate>;
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
  consumer: LoopStage,
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
    if (!producer || availableBefore(consumer, producer as LoopStage)) alwaysAvailable = true;
    else late.push(ref.join('.'));
  }
  if (issues.length === 0 && !alwaysAvailable) {
    const when = isRlStage(consumer) ? 'the RL phase' : INITIAL_STAGES.includes(consumer as EvolveStage) ? 'iteration 0' : 'iteration 1';
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

// The recipe's stages, the RL phase's included, by name.
function allStages(raw: RawRecipe): Record<string, { outputs?: Record<string, string> } | undefined> {
  return { ...raw.stages, ...(raw.rl?.stages ?? {}) };
}

// Whether a placeholder's every alternative names something a command could use: a built-in, a variable, an input or
// a stage's output.
export function namesKnownValues(raw: RawRecipe, p: Placeholder): boolean {
  const stages = allStages(raw);
  return p.alternatives.every((ref) => unknownReference(raw, stages, ref) === undefined);
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
    return (
      `unknown placeholder "${root}".${didYouMean(root, Object.keys(BUILTIN_PLACEHOLDERS))} Built-ins: ` +
      `${Object.keys(BUILTIN_PLACEHOLDERS).join(', ')}; or vars.NAME, inputs.NAME, STAGE.OUTPUT`
    );
  }
  if (rest.length > 0) return `"${ref.join('.')}" has too many parts: write vars.NAME, inputs.NAME or STAGE.OUTPUT`;
  if (root === 'vars' || root === 'inputs') {
    const known = Object.keys((root === 'vars' ? raw.vars : raw.inputs) ?? {});
    if (known.includes(name!)) return undefined;
    return `no ${root === 'vars' ? 'variable' : 'input'} "${name}" under ${root}.${didYouMean(name!, known)} Define it under "${root}:"`;
  }
  if (isStage(root)) {
    const stage = stages[root];
    if (!stage)
      return (
        `stage ${root} is not defined in this recipe; define it under "${isRlStage(root) ? 'rl.stages' : 'stages'}:" or remove the ` +
        `reference`
      );
    const outputs = Object.keys(stage.outputs ?? {});
    if (outputs.includes(name!)) return undefined;
    return (
      `stage ${root} declares no output "${name}".${didYouMean(name!, outputs)} Declare it under ` +
      `stages.${root}.outputs${outputs.length ? ` (declared: ${outputs.join(', ')})` : ''}`
    );
  }
  const roots = ['vars', 'inputs', ...EVOLVE_STAGES, ...RL_STAGES];
  return (
    `unknown placeholder "${ref.join('.')}".${didYouMean(root, roots)} Use vars.NAME, inputs.NAME or STAGE.OUTPUT with STAGE one ` +
    `of ${[...EVOLVE_STAGES, ...RL_STAGES].join(', ')}`
  );
}

// Whether a producer's output already exists the first time a consumer runs (iteration 0 for initial stages, 1 for the
// rest; the RL phase runs after the loop, so every loop stage's outputs and the earlier RL stages' exist by then).
export function availableBefore(consumer: LoopStage, producer: LoopStage): boolean {
  if (isRlStage(consumer)) return !isRlStage(producer) || RL_STAGES.indexOf(producer) < RL_STAGES.indexOf(consumer);
  if (isRlStage(producer)) return false;
  if (INITIAL_STAGES.includes(consumer)) {
    return INITIAL_STAGES.indexOf(producer) >= 0 && INITIAL_STAGES.indexOf(producer) < INITIAL_STAGES.indexOf(consumer);
  }
  return INITIAL_STAGES.includes(producer) || EVOLVE_STAGES.indexOf(producer) < EVOLVE_STAGES.indexOf(consumer);
}

function isStage(name: string): name is LoopStage {
  return isLoopStage(name);
}
