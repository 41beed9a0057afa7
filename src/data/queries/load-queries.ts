import { readJsonlBatches, type JsonlStats } from '../jsonl/read-jsonl.ts';
import { DataError } from '../jsonl/jsonl-error.ts';
import { lastBoxed } from '../grade/last-boxed.ts';
import { extractAnswer } from '../grade/extract-answer.ts';

export interface Query {
  question?: string;
  // The reference final answer; undefined for an unlabeled query.
  answer?: string;
}

// Reads query files ({id, question, answer?}) into a map by id. A reference written as a whole worked solution (GSM8K's
// "… #### 18", MATH's "… \boxed{…}") is reduced to its final answer. Later files may not repeat an id.
export async function loadQueries(files: string[], options: { skipBad?: boolean } = {}): Promise<Map<string, Query>> {
  const queries = new Map<string, Query>();
  for (const file of files) {
    const stats: JsonlStats = { rows: 0, bad: 0, bytes: 0 };
    for await (const batch of readJsonlBatches<Record<string, unknown>>(file, options, stats)) {
      for (let i = 0; i < batch.rows.length; i++) {
        const row = batch.rows[i]!;
        const where = `${file}:${batch.lines[i]}`;
        const id = idOf(row.id);
        if (id === undefined) {
          if (options.skipBad) continue;
          throw new DataError(`${where}: a query needs an "id" (string or number); fix the line or pass --skip-bad`);
        }
        if (queries.has(id)) throw new DataError(`${where}: query id "${id}" appears twice; ids must be unique across the query files`);
        const answer = row.answer;
        const query: Query = { question: typeof row.question === 'string' ? row.question : undefined };
        if (typeof answer === 'number') query.answer = String(answer);
        else if (typeof answer === 'string' && answer.trim() !== '') query.answer = referenceAnswer(answer);
        queries.set(id, query);
      }
    }
  }
  return queries;
}

// A row's id as a string (numbers are accepted and read as their decimal text); undefined when missing.
export function idOf(value: unknown): string | undefined {
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

// A reference written as a worked solution (GSM8K's `#### N`, a MATH solution with `\boxed{}`) is reduced to its final answer.
// A reference that is one math span ("$\\frac{1}{2}$", "\\(x\\)") is its content.
export function referenceAnswer(answer: string): string {
  if (answer.includes('####') || lastBoxed(answer) !== null || /answer is|answer:/i.test(answer)) return extractAnswer(answer) ?? answer;
  const t = answer.trim();
  const span = /^(?:\$\$([^$]+)\$\$|\$([^$]+)\$|\\\((.+)\\\)|\\\[(.+)\\\])$/s.exec(t);
  return span ? (span[1] ?? span[2] ?? span[3] ?? span[4])!.trim() : t;
}
