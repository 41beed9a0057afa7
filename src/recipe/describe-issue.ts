import type { z } from 'zod';
import type { PathSegment } from './locate.ts';
import { allowedKeys } from './schema-keys.ts';
import { didYouMean } from './suggest.ts';

type Issue = z.core.$ZodIssue & { input?: unknown };

export interface DescribedIssue {
  path: PathSegment[];
  /** Point at the key rather than its value (unknown keys). */
  atKey: boolean;
  message: string;
}

const DOCS = 'see docs/reference/recipe.md';

// Turns a schema issue into messages that say what is wrong with the value and how to fix it (one per unknown key).
export function describeIssue(issue: Issue, schema: z.ZodType, data: unknown): DescribedIssue[] {
  const path = issue.path.filter((p): p is PathSegment => typeof p !== 'symbol');
  const last = path[path.length - 1];
  switch (issue.code) {
    case 'unrecognized_keys': {
      const known = allowedKeys(schema, path, data);
      return issue.keys.map((key) => ({
        path: [...path, key],
        atKey: true,
        message: `unknown key "${key}".${didYouMean(key, known)} Allowed here: ${known.filter((k) => k !== '$schema').join(', ')}`,
      }));
    }
    case 'invalid_type':
      if (issue.input === undefined) {
        return [{ path, atKey: false, message: `is required; add "${String(last)}:" (${DOCS})` }];
      }
      return [{ path, atKey: false, message: `expected ${expected(issue.expected)}, got ${shown(issue.input)}` }];
    case 'invalid_value': {
      const values = issue.values.map((v) => JSON.stringify(v));
      const hint = typeof issue.input === 'string' ? didYouMean(issue.input, issue.values.map(String)) : '';
      return [{ path, atKey: false, message: `must be ${values.join(' or ')}, got ${shown(issue.input)}.${hint}`.replace(/\.\s*$/, '') }];
    }
    case 'invalid_union': {
      const options = (issue as { options?: unknown[] }).options;
      if (options) {
        const input = (issue.input as Record<string, unknown> | undefined)?.kind;
        const hint = typeof input === 'string' ? didYouMean(input, options.map(String)) : '';
        return [{ path, atKey: false, message: `must be one of ${options.join(', ')}, got ${shown(input)}.${hint}`.replace(/\.\s*$/, '') }];
      }
      return [{ path, atKey: false, message: `has the wrong type (${shown(issue.input)}); ${unionHint(path)}` }];
    }
    case 'too_small':
      return [{ path, atKey: false, message: tooSmall(issue) }];
    case 'too_big':
      return [{ path, atKey: false, message: `must be at most ${String(issue.maximum)}, got ${shown(issue.input)}` }];
    case 'invalid_format':
      return [{ path, atKey: false, message: formatHint(last, issue.input) }];
    case 'invalid_key':
      return [
        { path, atKey: true, message: `${shown(last)} is not a valid name: use letters, digits and "_", starting with a letter or "_"` },
      ];
    default:
      return [{ path, atKey: false, message: issue.message }];
  }
}

function expected(type: string): string {
  const words: Record<string, string> = {
    int: 'a whole number',
    number: 'a number',
    string: 'a string',
    boolean: 'true or false',
    object: 'a mapping (key: value lines)',
    array: 'a list ([a, b] or "- a" lines)',
    record: 'a mapping (key: value lines)',
  };
  return words[type] ?? type;
}

function tooSmall(issue: { origin?: string; minimum: unknown; input?: unknown }): string {
  if (issue.origin === 'array') return `must list at least ${String(issue.minimum)} element(s)`;
  if (issue.origin === 'string') return 'must not be empty';
  return `must be at least ${String(issue.minimum)}, got ${shown(issue.input)}`;
}

function formatHint(key: PathSegment | undefined, input: unknown): string {
  if (key === 'name') {
    return `${shown(input)} is not a valid run name: start with a letter or digit and use only letters, digits, ".", "_" and "-"`;
  }
  if (key === 'address') {
    return `${shown(input)} is not the Ray dashboard's http(s) URL (the Jobs API is on the dashboard port), e.g. "http://127.0.0.1:8265"`;
  }
  if (key === 'tracking_uri') {
    return (
      `${shown(input)} is not an MLflow server's http(s) URL without credentials, e.g. "http://127.0.0.1:5000" (a user and ` +
      'password go in MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD, a token in MLFLOW_TRACKING_TOKEN)'
    );
  }
  return `${shown(input)} has the wrong form: use letters, digits and "_", starting with a letter or "_"`;
}

function unionHint(path: PathSegment[]): string {
  const key = String(path[path.length - 1]);
  if (key === 'time' || key === 'walltime' || key === 'backoff') {
    return 'write a duration such as 90s, 15m, 4h, 1h30m or 04:00:00';
  }
  if (path.includes('command')) return 'each argument must be a string or a number';
  return 'write a string, a number or true/false';
}

// Renders a bad value for a message, short and unambiguous.
export function shown(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null (an empty value)';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}..."` : text;
}
