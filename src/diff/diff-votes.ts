import { rows } from './diff-selected-rows.ts';

// How often two iterations' majority votes picked the same answer, over the queries both voted on.
export interface VoteAgreement {
  output: string;
  /** Queries with a vote on both sides. */
  queries: number;
  agree: number;
  /** agree / queries; null when no query was voted on by both. */
  rate: number | null;
}

// Compares two vote files (JSONL rows `{"id", "answer", …}`, one per voted query; the select stage's output
// named `votes`). Rows without a string id are ignored; answers compare as text, after trimming.
export function diffVotes(output: string, leftFile: string, rightFile: string): VoteAgreement {
  const left = votes(leftFile);
  const right = votes(rightFile);
  let queries = 0;
  let agree = 0;
  for (const [id, answer] of right) {
    const other = left.get(id);
    if (other === undefined) continue;
    queries++;
    if (other === answer) agree++;
  }
  return { output, queries, agree, rate: queries === 0 ? null : Number((agree / queries).toFixed(6)) };
}

// A vote file as query id → chosen answer.
function votes(file: string): Map<string, string> {
  const byId = new Map<string, string>();
  for (const line of rows(file)) {
    let row: unknown;
    try {
      row = JSON.parse(line);
    } catch {
      continue;
    }
    const { id, answer } = (row ?? {}) as { id?: unknown; answer?: unknown };
    if (typeof id === 'string' && answer !== undefined && answer !== null) byId.set(id, String(answer).trim());
  }
  return byId;
}
