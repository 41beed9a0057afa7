import { DataError } from '../jsonl/jsonl-error.ts';

// What graded-sample commands need from a row; `why` says what is missing, for the error or the skip count.
export type FieldCheck<T> = { ok: true; value: T } | { ok: false; why: string };

// A sample's query id: a string (numbers are accepted and compared as their decimal text).
export function sampleId(row: Record<string, unknown>): FieldCheck<string> {
  const id = row.id;
  if (typeof id === 'string' && id !== '') return { ok: true, value: id };
  if (typeof id === 'number' && Number.isFinite(id)) return { ok: true, value: String(id) };
  return { ok: false, why: 'no "id" (the query id, a string)' };
}

// A graded sample's verdict: `correct` is added by `loop data grade` for labeled queries.
export function sampleCorrect(row: Record<string, unknown>): FieldCheck<boolean> {
  const correct = row.correct;
  if (typeof correct === 'boolean') return { ok: true, value: correct };
  return { ok: false, why: 'no boolean "correct" (run `loop data grade` with queries that have answers first)' };
}

// A sample's reward-model score, written by the recipe's scoring stage.
export function sampleRm(row: Record<string, unknown>): FieldCheck<number> {
  const rm = row.rm;
  if (typeof rm === 'number' && Number.isFinite(rm)) return { ok: true, value: rm };
  return { ok: false, why: 'no numeric "rm" (the reward model\'s score; score the samples first)' };
}

// The error for a row that lacks a field a command needs, with its file and line, and the way out.
export function missingFieldError(file: string, line: number, why: string): DataError {
  return new DataError(`${file}:${line}: ${why}; fix the row, or pass --skip-bad to skip (and count) such rows`);
}
