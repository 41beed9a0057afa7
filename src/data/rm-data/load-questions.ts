import { readJsonl } from '../jsonl/read-jsonl.ts';
import { sampleId } from '../graded/graded-field.ts';

// The id → question table of a query file, for samples that do not carry their question (memory grows with the
// number of queries; the samples themselves still stream).
export async function loadQuestions(file: string, skipBad?: boolean): Promise<Map<string, unknown>> {
  const questions = new Map<string, unknown>();
  for await (const { row } of readJsonl(file, { skipBad })) {
    const id = sampleId(row);
    if (id.ok && row.question !== undefined) questions.set(id.value, row.question);
  }
  return questions;
}
