import type { z } from 'zod';
import type { PathSegment } from './locate.ts';

interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  valueType?: z.ZodType;
  element?: z.ZodType;
  options?: z.ZodType[];
}

// Lists the keys a recipe mapping may hold at a path, read from the schema itself so hints never drift from it.
export function allowedKeys(schema: z.ZodType, path: PathSegment[], data: unknown): string[] {
  let node: z.ZodType | undefined = schema;
  let value: unknown = data;
  for (const segment of path) {
    node = unwrap(node, value);
    const def: Def | undefined = node && defOf(node);
    if (!def) return [];
    if (def.type === 'object') node = def.shape?.[String(segment)];
    else if (def.type === 'record') node = def.valueType;
    else if (def.type === 'array') node = def.element;
    else return [];
    value = isRecord(value) ? value[String(segment)] : Array.isArray(value) ? value[Number(segment)] : undefined;
  }
  node = unwrap(node, value);
  const def = node && defOf(node);
  return def?.type === 'object' ? Object.keys(def.shape ?? {}) : [];
}

// Sees through optional/default wrappers and picks the union member matching the data's `kind`.
function unwrap(node: z.ZodType | undefined, value: unknown): z.ZodType | undefined {
  let current = node;
  for (let i = 0; current && i < 8; i++) {
    const def = defOf(current);
    if ((def.type === 'optional' || def.type === 'default' || def.type === 'nullable') && def.innerType) {
      current = def.innerType;
    } else if (def.type === 'union' && def.options) {
      const kind = isRecord(value) ? value.kind : undefined;
      current = def.options.find((o) => literalKind(o) === kind) ?? def.options[0];
      if (literalKind(current!) === undefined) return current;
    } else {
      return current;
    }
  }
  return current;
}

function literalKind(option: z.ZodType): unknown {
  const kind = defOf(option).shape?.kind;
  const values = kind ? (defOf(kind) as unknown as { values?: unknown[] }).values : undefined;
  return values?.[0];
}

function defOf(node: z.ZodType): Def {
  return (node as unknown as { _zod: { def: Def } })._zod.def;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
