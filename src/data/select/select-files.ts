import { fileSize } from '../jsonl/file-size.ts';
import { loadQueries } from '../queries/load-queries.ts';
import { collectSamples } from '../samples/collect-samples.ts';
import { createJsonlWriter } from '../jsonl/write-jsonl.ts';
import { pickLines } from '../jsonl/pick-lines.ts';
import type { Weighting } from '../vote/vote-weights.ts';
import { chooseResponses } from './choose-responses.ts';

export interface SelectOptions {
  queries: string[];
  samples: string;
  out: string;
  // Also write each unlabeled query's vote: {"id", "answer", "margin"} per line (loop diff compares them).
  votes?: string;
  topK: number;
  weighting: Weighting;
  voteDistinct?: boolean;
  skipBad?: boolean;
  budgetMs?: number;
  workers?: number;
  onProgress?: (bytesRead: number, totalBytes: number) => void;
}

export interface SelectStats {
  samples: number;
  queries: number;
  labeledQueries: number;
  unlabeledQueries: number;
  queriesKept: number;
  labeledQueriesKept: number;
  unlabeledQueriesKept: number;
  responsesKept: number;
  labeledResponsesKept: number;
  unlabeledResponsesKept: number;
  responsesPerQuery: number;
  duplicatesSkipped: number;
  voteMargin: { mean: number; median: number; min: number } | null;
  bad: number;
  bytes: number;
}

// `loop data select`: rejection sampling in two passes over the samples. Pass one keeps ~100 bytes a sample and
// decides which lines to keep; pass two scans the file's bytes for those lines and copies them unchanged (adding the
// query's "question" when the sample lacks it), in input order.
export async function selectFiles(options: SelectOptions): Promise<SelectStats> {
  const queries = await loadQueries(options.queries, { skipBad: options.skipBad });
  const total = fileSize(options.samples);
  const { groups, stats: read } = await collectSamples({
    samples: options.samples,
    queries,
    queryFiles: options.queries,
    skipBad: options.skipBad,
    hashResponses: true,
    requireRm: true,
    budgetMs: options.budgetMs ?? 30_000,
    workers: options.workers ?? 2,
    onProgress: (bytes) => options.onProgress?.(bytes, 2 * total),
  });
  const keep = new Map<number, string | undefined>();
  const margins: number[] = [];
  const votes: Array<{ id: string; answer: string; margin: number | null }> = [];
  const stats: SelectStats = {
    samples: read.rows,
    queries: queries.size,
    labeledQueries: 0,
    unlabeledQueries: 0,
    queriesKept: 0,
    labeledQueriesKept: 0,
    unlabeledQueriesKept: 0,
    responsesKept: 0,
    labeledResponsesKept: 0,
    unlabeledResponsesKept: 0,
    responsesPerQuery: 0,
    duplicatesSkipped: 0,
    voteMargin: null,
    bad: read.bad,
    bytes: read.bytes,
  };
  for (const [id, query] of queries) {
    const labeled = query.answer !== undefined;
    if (labeled) stats.labeledQueries += 1;
    else stats.unlabeledQueries += 1;
    const records = groups.get(id) ?? [];
    const choice = chooseResponses(records, labeled, options.topK, options.weighting, options.voteDistinct ?? false);
    if (typeof choice.margin === 'number') margins.push(choice.margin);
    if (typeof choice.answer === 'string') votes.push({ id, answer: choice.answer, margin: choice.margin ?? null });
    const hashed = records.filter((r) => r.hash !== 0);
    stats.duplicatesSkipped += hashed.length - new Set(hashed.map((r) => r.hash)).size;
    if (choice.kept.length === 0) continue;
    stats.queriesKept += 1;
    stats.responsesKept += choice.kept.length;
    if (labeled) {
      stats.labeledQueriesKept += 1;
      stats.labeledResponsesKept += choice.kept.length;
    } else {
      stats.unlabeledQueriesKept += 1;
      stats.unlabeledResponsesKept += choice.kept.length;
    }
    for (const r of choice.kept) keep.set(r.line, r.hasQuestion ? undefined : query.question);
  }
  groups.clear();
  stats.responsesPerQuery = stats.queriesKept > 0 ? stats.responsesKept / stats.queriesKept : 0;
  if (margins.length > 0) {
    margins.sort((a, b) => a - b);
    stats.voteMargin = {
      mean: margins.reduce((a, b) => a + b, 0) / margins.length,
      median: margins[Math.floor(margins.length / 2)]!,
      min: margins[0]!,
    };
  }
  if (options.votes !== undefined) await writeVotes(options.votes, votes);
  const kept = keep.size;
  await copyLines(options.samples, options.out, keep, (copied) =>
    options.onProgress?.(total + (total * copied) / Math.max(1, kept), 2 * total),
  );
  return stats;
}

// Pass two: writes the kept lines, unchanged unless "question" must be added.
async function copyLines(
  samples: string,
  out: string,
  keep: Map<number, string | undefined>,
  onProgress: (bytes: number) => void,
): Promise<void> {
  const writer = createJsonlWriter(out);
  let copied = 0;
  try {
    for await (const picked of pickLines(samples, (line) => keep.has(line))) {
      let text = '';
      for (const { line, text: raw } of picked) {
        const question = keep.get(line);
        const body = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
        // Pass one checked the line is an object with fields and no "question": append the field before its "}".
        text += question === undefined ? `${body}\n` : `${body.slice(0, body.lastIndexOf('}'))},"question":${JSON.stringify(question)}}\n`;
      }
      await writer.writeLines(text, picked.length);
      copied += picked.length;
      onProgress(copied);
    }
    await writer.close();
  } catch (error) {
    writer.abort();
    throw error;
  }
}

// The votes file: one line per unlabeled query the vote decided, in the queries' order.
async function writeVotes(file: string, votes: readonly unknown[]): Promise<void> {
  const writer = createJsonlWriter(file);
  try {
    await writer.write(votes);
    await writer.close();
  } catch (error) {
    writer.abort();
    throw error;
  }
}
