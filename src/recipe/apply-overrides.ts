import { isMap, isSeq, parse, type Document } from 'yaml';
import type { RecipeIssue } from './recipe-error.ts';

export interface Override {
  /** As the user typed it: `until.max_iterations=3`. */
  text: string;
  path: Array<string | number>;
  value: unknown;
}

// Parses `--set path=value`: the value is read as YAML (3 → number, [a, b] → list, slurm → string).
export function parseOverride(text: string): Override | string {
  const eq = text.indexOf('=');
  if (eq <= 0) return `expected PATH=VALUE, e.g. --set until.max_iterations=3`;
  const keyPath = text.slice(0, eq);
  if (!/^[A-Za-z0-9_$-]+(\.[A-Za-z0-9_$-]+)*$/.test(keyPath)) {
    return `"${keyPath}" is not a key path: join keys with dots, e.g. stages.train_sft.resources.gpus`;
  }
  const source = text.slice(eq + 1);
  let value: unknown = source;
  try {
    value = source === '' ? '' : parse(source);
  } catch {
    value = source;
  }
  // YAML reads 1e400 as Infinity, which the schema would show as null: say what is wrong instead (.inf is meant).
  if (typeof value === 'number' && !Number.isFinite(value) && !/^[-+]?\.inf$/i.test(source.trim())) {
    return `"${source}" is out of range for a number (the largest is about 1.8e308)`;
  }
  const path = keyPath.split('.').map((seg) => (/^\d+$/.test(seg) ? Number(seg) : seg));
  return { text, path, value };
}

// Writes each override into the YAML document, so untouched keys keep their line and column for error messages.
export function applyOverrides(doc: Document, file: string, overrides: string[]): { applied: Override[]; issues: RecipeIssue[] } {
  const applied: Override[] = [];
  const issues: RecipeIssue[] = [];
  for (const text of overrides) {
    const parsed = parseOverride(text);
    if (typeof parsed === 'string') {
      issues.push({ file, override: text, path: '', message: parsed });
      continue;
    }
    const blocker = scalarOnPath(doc, parsed.path);
    if (blocker) {
      issues.push({ file, override: text, path: blocker, message: `${blocker} is a single value, not a mapping: set ${blocker} itself` });
      continue;
    }
    doc.setIn(parsed.path, doc.createNode(parsed.value));
    applied.push(parsed);
  }
  return { applied, issues };
}

// The first strict prefix of a path that holds a scalar, where setIn would fail.
function scalarOnPath(doc: Document, path: Array<string | number>): string | undefined {
  for (let i = 1; i < path.length; i++) {
    const node = doc.getIn(path.slice(0, i), true);
    if (node !== undefined && node !== null && !isMap(node) && !isSeq(node)) return path.slice(0, i).join('.');
  }
  return undefined;
}

// `executor.kind=…` or `stages.NAME.executor.kind=…` switches executors: the old kind's options (partition,
// host…) do not apply to the new one, so they are dropped from the parsed data. (Done on the data, not the YAML
// document, so anchors defined among those options still resolve for the rest of the recipe.)
export function dropOptionsOfSwitchedExecutors(data: unknown, applied: Override[]): void {
  applied.forEach((override, index) => {
    const path = override.path;
    if (path.length < 2 || path.at(-1) !== 'kind' || path.at(-2) !== 'executor') return;
    const executor = path.slice(0, -1);
    const node = getAt(data, executor);
    if (typeof node !== 'object' || node === null || Array.isArray(node)) return;
    for (const key of Object.keys(node)) if (key !== 'kind') delete (node as Record<string, unknown>)[key];
    // Options set by later overrides belong to the new executor: put them back.
    for (const later of applied.slice(index + 1)) {
      if (later.path.length > executor.length && executor.every((seg, i) => String(seg) === String(later.path[i]))) {
        setAt(data, later.path, later.value);
      }
    }
  });
}

function getAt(data: unknown, path: Array<string | number>): unknown {
  let node: unknown = data;
  for (const segment of path) node = (node as Record<string | number, unknown> | undefined)?.[segment];
  return node;
}

function setAt(data: unknown, path: Array<string | number>, value: unknown): void {
  const parent = getAt(data, path.slice(0, -1));
  if (typeof parent === 'object' && parent !== null) (parent as Record<string | number, unknown>)[path.at(-1)!] = value;
}
