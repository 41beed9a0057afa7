import type { Recipe, StageSpec } from './types.ts';
import { EVOLVE_STAGES } from './stage-names.ts';
import type { PathSegment } from './locate.ts';

// One difference between two normalized recipes: the key path (e.g. `stages.select.retry.attempts`) and both values; `undefined` where the
// key is absent.
export interface RecipeChange {
  path: string;
  before: unknown;
  after: unknown;
}

// The same change with its path as segments, for callers that classify by key rather than by text.
export interface RecipeChangeAt extends RecipeChange {
  segments: PathSegment[];
}

// Every leaf that differs between two normalized recipes, in the recipe's key order; stages are matched by name.
export function diffRecipes(before: Recipe, after: Recipe): RecipeChange[] {
  return diffRecipeSegments(before, after).map(({ path, before: b, after: a }) => ({ path, before: b, after: a }));
}

// diffRecipes with each change's path also as segments: ['stages', 'select', 'command', 3].
export function diffRecipeSegments(before: Recipe, after: Recipe): RecipeChangeAt[] {
  const out: RecipeChangeAt[] = [];
  const b = before as unknown as Record<string, unknown>;
  const a = after as unknown as Record<string, unknown>;
  for (const key of unionKeys(b, a)) {
    if (key === 'stages' && Array.isArray(b[key]) && Array.isArray(a[key])) {
      diffStages(before.stages, after.stages, out);
    } else {
      diffValue([key], b[key], a[key], out);
    }
  }
  return out;
}

// Stages pair up by name, in the evolve order; one only on one side is reported whole at `stages.NAME`.
function diffStages(before: StageSpec[], after: StageSpec[], out: RecipeChangeAt[]): void {
  const byName = (stages: StageSpec[]) => new Map(stages.map((s) => [s.name, s] as const));
  const b = byName(before);
  const a = byName(after);
  const names = [...new Set([...b.keys(), ...a.keys()])];
  const rank = (name: string) => {
    const i = (EVOLVE_STAGES as readonly string[]).indexOf(name);
    return i < 0 ? EVOLVE_STAGES.length : i;
  };
  names.sort((x, y) => rank(x) - rank(y)); // stable: unknown names keep their order of appearance
  for (const name of names) {
    const from = b.get(name);
    const to = a.get(name);
    if (from === undefined || to === undefined) {
      out.push(change(['stages', name], from, to));
      continue;
    }
    diffValue(['stages', name], from, to, out);
  }
}

function diffValue(segments: PathSegment[], before: unknown, after: unknown, out: RecipeChangeAt[]): void {
  if (Array.isArray(before) && Array.isArray(after)) {
    const length = Math.max(before.length, after.length);
    for (let i = 0; i < length; i++) {
      diffValue([...segments, i], i < before.length ? before[i] : undefined, i < after.length ? after[i] : undefined, out);
    }
    return;
  }
  if (isPlainObject(before) && isPlainObject(after)) {
    for (const key of unionKeys(before, after)) diffValue([...segments, key], before[key], after[key], out);
    return;
  }
  if (sameLeaf(before, after)) return;
  out.push(change(segments, before, after));
}

function change(segments: PathSegment[], before: unknown, after: unknown): RecipeChangeAt {
  return { path: formatSegments(segments), segments, before, after };
}

// Keys of `before` in their order, then those only `after` has; a key holding `undefined` counts as absent.
function unionKeys(before: Record<string, unknown>, after: Record<string, unknown>): string[] {
  const keys = Object.keys(before).filter((k) => before[k] !== undefined);
  const seen = new Set(keys);
  for (const k of Object.keys(after)) if (after[k] !== undefined && !seen.has(k)) keys.push(k);
  return keys;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function sameLeaf(before: unknown, after: unknown): boolean {
  if (before === after) return true;
  return typeof before === 'number' && typeof after === 'number' && Number.isNaN(before) && Number.isNaN(after);
}

const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/;

// Key paths as users write them: stages.train_sft.command[3]; an odd key is quoted: env["A.B"].
export function formatSegments(segments: PathSegment[]): string {
  return segments.reduce<string>((text, seg) => {
    if (typeof seg === 'number') return `${text}[${seg}]`;
    if (!PLAIN_KEY.test(seg)) return `${text}[${JSON.stringify(seg)}]`;
    return text ? `${text}.${seg}` : seg;
  }, '');
}
