import { readJsonlBatches, type JsonlStats } from '../jsonl/read-jsonl.ts';
import { createJsonlWriter } from '../jsonl/write-jsonl.ts';
import { DataError } from '../jsonl/jsonl-error.ts';
import { missingFieldError, sampleCorrect, sampleId } from '../graded/graded-field.ts';
import { createGroupCollector, type ResponseGroup } from './group-collector.ts';
import { loadQuestions } from './load-questions.ts';

export interface RmDataOptions {
  samples: string;
  out: string;
  // Responses per listwise group (6 in the method).
  group: number;
  // Write chosen/rejected pairs instead of listwise groups.
  pairs?: boolean;
  // Query file giving each id's question, for samples that do not carry `question`.
  queries?: string;
  // The input's samples of one query are not on consecutive lines.
  ungrouped?: boolean;
  skipBad?: boolean;
  onProgress?: (bytesRead: number) => void;
}

export interface RmDataSummary {
  samples: { rows: number; bad: number; invalid: number; bytes: number; duplicates: number; extra: number };
  queries: number;
  kept: number;
  allCorrect: number;
  allWrong: number;
  // Queries with fewer than `group` distinct responses (dropped: a listwise group has exactly `group` responses).
  short: number;
  written: number;
  format: 'listwise' | 'pairs';
}

// `loop data rm-data`: builds reward-model training data from graded samples: per query, a listwise group of its
// first `group` distinct responses with 0/1 labels, kept only when it holds at least one correct and one wrong
// response (else the ranking loss has nothing to learn); or, with `pairs`, every (correct, wrong) pair of that group.
export async function rmData(options: RmDataOptions): Promise<RmDataSummary> {
  const questions = options.queries === undefined ? undefined : await loadQuestions(options.queries, options.skipBad);
  const stats: JsonlStats = { rows: 0, bad: 0, bytes: 0 };
  const collector = createGroupCollector(options.samples, options.group, !options.ungrouped);
  const writer = createJsonlWriter(options.out);
  const summary: RmDataSummary = {
    samples: { rows: 0, bad: 0, invalid: 0, bytes: 0, duplicates: 0, extra: 0 },
    queries: 0,
    kept: 0,
    allCorrect: 0,
    allWrong: 0,
    short: 0,
    written: 0,
    format: options.pairs ? 'pairs' : 'listwise',
  };
  const emit = (groups: ResponseGroup[], out: unknown[]) => {
    for (const group of groups) {
      summary.queries += 1;
      const right = group.labels.filter((l) => l === 1).length;
      if (group.responses.length < options.group) summary.short += 1;
      else if (right === 0) summary.allWrong += 1;
      else if (right === group.responses.length) summary.allCorrect += 1;
      else {
        summary.kept += 1;
        if (!options.pairs) out.push({ id: group.id, question: group.question, responses: group.responses, labels: group.labels });
        else out.push(...toPairs(group));
      }
    }
  };
  try {
    for await (const batch of readJsonlBatches(options.samples, options, stats)) {
      const out: unknown[] = [];
      for (let i = 0; i < batch.rows.length; i++) {
        const row = batch.rows[i]!;
        const line = batch.lines[i]!;
        const id = sampleId(row);
        const correct = sampleCorrect(row);
        if (!id.ok || !correct.ok || typeof row.response !== 'string') {
          if (!options.skipBad)
            throw missingFieldError(options.samples, line, !id.ok ? id.why : !correct.ok ? correct.why : 'no string "response"');
          summary.samples.invalid += 1;
          continue;
        }
        const question = row.question ?? questions?.get(id.value);
        if (question === undefined) {
          throw new DataError(
            `${options.samples}:${line}: no "question" for query "${id.value}"; pass --queries Q (the query file) so rm-data can look ` +
              `questions up by id`,
          );
        }
        emit(collector.add({ id: id.value, response: row.response, correct: correct.value, question, line }), out);
      }
      await writer.write(out);
    }
    const out: unknown[] = [];
    emit(collector.finish(), out);
    await writer.write(out);
    await writer.close();
  } catch (error) {
    writer.abort();
    throw error;
  }
  summary.samples = { rows: stats.rows, bad: stats.bad, invalid: summary.samples.invalid, bytes: stats.bytes, ...collector.counts };
  summary.written = writer.rows;
  return summary;
}

// Every (correct, wrong) pair of a group, correct responses in order, each against every wrong one: k·(n−k) pairs.
function toPairs(group: ResponseGroup) {
  const pairs = [];
  for (let c = 0; c < group.responses.length; c++) {
    if (group.labels[c] !== 1) continue;
    for (let r = 0; r < group.responses.length; r++) {
      if (group.labels[r] === 1) continue;
      pairs.push({ id: group.id, question: group.question, chosen: group.responses[c], rejected: group.responses[r] });
    }
  }
  return pairs;
}
