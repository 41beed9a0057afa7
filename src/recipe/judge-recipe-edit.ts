import type { Recipe, StageSpec } from './types.ts';
import { diffRecipeSegments, type RecipeChange, type RecipeChangeAt } from './diff-recipes.ts';
import { parseTemplate } from './placeholders.ts';
import { EVOLVE_STAGES } from './stage-names.ts';

export type EditVerdict = 'accepted' | 'refused';

export type ClassifiedChange = RecipeChange & { verdict: EditVerdict; reason: string };

// Where a paused or failed run stands: its current iteration and the stages that started or finished in it.
export interface RunPosition {
  iteration: number;
  started: readonly string[];
}

export interface RecipeEditJudgement {
  /** Every change, in diff order, with its verdict. */
  changes: ClassifiedChange[];
  /** The refused ones (empty when the edit may be applied). */
  refused: ClassifiedChange[];
}

// Decides whether an edited recipe may replace a run's recipe at `position`: a change may only touch work not yet done in this iteration.
export function judgeRecipeEdit(before: Recipe, after: Recipe, position: RunPosition): RecipeEditJudgement {
  const started = new Set(position.started);
  const n = position.iteration;
  const changes = diffRecipeSegments(before, after).map((c): ClassifiedChange => {
    const { verdict, reason } = classify(c, before, after, started, n);
    return { path: c.path, before: c.before, after: c.after, verdict, reason };
  });
  return { changes, refused: changes.filter((c) => c.verdict === 'refused') };
}

interface Verdict {
  verdict: EditVerdict;
  reason: string;
}

const accept = (reason: string): Verdict => ({ verdict: 'accepted', reason });
const refuse = (reason: string): Verdict => ({ verdict: 'refused', reason });

function classify(c: RecipeChangeAt, before: Recipe, after: Recipe, started: Set<string>, n: number): Verdict {
  const [top, second] = c.segments;
  switch (top) {
    case 'until':
      return accept('the stop rule is read after each iteration');
    case 'metrics':
    case 'mainMetric':
      return accept('metric directions and the main metric are read when reporting, not by stages');
    case 'recipeFile':
      return accept('only the recipe file name changed');
    case 'recipeDir':
      // Every stage runs in the recipe's folder and {{ recipe_dir }} names it: scripts would resolve elsewhere.
      return refuse(
        "the recipe's folder is every stage's working directory and {{ recipe_dir }}; keep the edited recipe beside the original",
      );
    case 'name':
    case 'loop':
    case 'seed':
      return refuse('changes the identity/seeds of finished work');
    case 'executor':
      return accept("applies through each stage's executor");
    case 'stages': {
      if (typeof second !== 'string') return refuse('cannot tell which stage this changes');
      return started.has(second)
        ? refuse(`${second} already finished in iteration ${n}`)
        : accept(`${second} has not finished in iteration ${n}`);
    }
    case 'vars':
    case 'inputs': {
      if (typeof second !== 'string') return refuse(`cannot tell which of the ${top} this changes`);
      const users = stagesReferencing(top, second, before, after);
      if (users.length === 0) return accept('used by no stage');
      const ran = users.filter((s) => started.has(s));
      if (ran.length > 0) return refuse(`used by ${list(ran)}, which already finished in iteration ${n}`);
      return accept(`affects ${list(users)}, not finished in iteration ${n}`);
    }
    default:
      return refuse('loop cannot tell which work this key affects');
  }
}

// Stages (of either recipe, in the evolve order) whose command or env names `{{ scope.name }}` in any alternative.
export function stagesReferencing(scope: 'vars' | 'inputs', name: string, before: Recipe, after: Recipe): string[] {
  const users = new Set<string>();
  for (const stage of [...before.stages, ...after.stages]) {
    if (!users.has(stage.name) && stageReferences(stage, scope, name)) users.add(stage.name);
  }
  const rank = (s: string) => {
    const i = (EVOLVE_STAGES as readonly string[]).indexOf(s);
    return i < 0 ? EVOLVE_STAGES.length : i;
  };
  return [...users].sort((x, y) => rank(x) - rank(y));
}

function stageReferences(stage: StageSpec, scope: string, name: string): boolean {
  const texts = [...stage.command, ...Object.values(stage.env)];
  return texts.some((text) => templateReferences(String(text), scope, name));
}

function templateReferences(text: string, scope: string, name: string): boolean {
  let parts: ReturnType<typeof parseTemplate>;
  try {
    parts = parseTemplate(text);
  } catch {
    // A validated recipe has no malformed placeholder; if one slips through, fall back to a plain text search.
    return new RegExp(`\\b${scope}\\s*\\.\\s*${escapeRegExp(name)}\\b`).test(text);
  }
  return parts.some((part) => typeof part !== 'string' && part.alternatives.some((ref) => ref[0] === scope && ref[1] === name));
}

function list(names: string[]): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
