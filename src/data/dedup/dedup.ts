import { readJsonlBatches, type JsonlStats } from '../jsonl/read-jsonl.ts';
import { createJsonlWriter, type JsonlWriter } from '../jsonl/write-jsonl.ts';
import { DataError } from '../jsonl/jsonl-error.ts';
import { readTextField } from '../text/read-text-field.ts';
import { createShingler } from './shingles.ts';
import { createMinHasher } from './minhash.ts';
import { createLshIndex } from './lsh-index.ts';
import { lshParams } from './lsh-params.ts';

export interface DedupOptions {
  input: string;
  out: string;
  removed?: string;
  // Text fields joined with a space; 'auto' takes the first of AUTO_FIELDS a row has.
  field: string[] | 'auto';
  threshold: number;
  numPerm: number;
  shingle: number;
  seed?: number;
  skipBad?: boolean;
  onProgress?: (bytesRead: number) => void;
}

export interface DedupSummary {
  rows: number;
  bad: number;
  missingField: number;
  bytes: number;
  kept: number;
  removed: number;
  lsh: { numPerm: number; bands: number; rows: number; shingle: number; threshold: number };
}

export const AUTO_FIELDS = ['text', 'content', 'question', 'problem', 'response'] as const;

// `loop data dedup`: keeps the first of each group of near-duplicates (estimated Jaccard similarity of token-shingle
// sets ≥ threshold) and drops the later ones, streaming the input. Memory grows with the kept rows (their signatures
// and band keys), not with the rows' text.
export async function dedup(options: DedupOptions): Promise<DedupSummary> {
  const { bands, rows } = lshParams(options.threshold, options.numPerm);
  // Only the banded slots are ever compared, so only the first bands·rows permutations are computed (the same seeds,
  // so the same values, as the first of numPerm's).
  const minhash = createMinHasher(bands * rows, options.seed);
  const shingles = createShingler(options.shingle);
  const index = createLshIndex(bands, rows, options.threshold);
  const keptLines: number[] = [];
  const stats: JsonlStats = { rows: 0, bad: 0, bytes: 0 };
  let missingField = 0;
  let removedCount = 0;
  const writer = createJsonlWriter(options.out);
  const removed: JsonlWriter | undefined = options.removed ? createJsonlWriter(options.removed) : undefined;
  try {
    for await (const batch of readJsonlBatches(options.input, options, stats)) {
      const keep: unknown[] = [];
      const drop: unknown[] = [];
      for (let i = 0; i < batch.rows.length; i++) {
        const row = batch.rows[i]!;
        const text = options.field === 'auto' ? autoText(row) : readTextField(row, options.field);
        if (text === undefined) {
          if (!options.skipBad) {
            const wanted = options.field === 'auto' ? `any of ${AUTO_FIELDS.join(', ')}` : `"${options.field.join('+')}"`;
            throw new DataError(
              `${options.input}:${batch.lines[i]}: no text field (${wanted}); name it with --field, or pass --skip-bad to skip (and ` +
                `count) such rows`,
            );
          }
          missingField += 1;
          continue;
        }
        const signature = minhash(shingles(text));
        const match = index.query(signature);
        if (match) {
          removedCount += 1;
          drop.push({ line: batch.lines[i], duplicate_of_line: keptLines[match.item], similarity: match.similarity, row });
          continue;
        }
        index.insert(signature, keptLines.length);
        keptLines.push(batch.lines[i]!);
        keep.push(row);
      }
      await writer.write(keep);
      if (removed) await removed.write(drop);
    }
    await writer.close();
    await removed?.close();
  } catch (error) {
    writer.abort();
    removed?.abort();
    throw error;
  }
  return {
    rows: stats.rows,
    bad: stats.bad,
    missingField,
    bytes: stats.bytes,
    kept: writer.rows,
    removed: removedCount,
    lsh: { numPerm: options.numPerm, bands, rows, shingle: options.shingle, threshold: options.threshold },
  };
}

function autoText(row: Record<string, unknown>): string | undefined {
  for (const field of AUTO_FIELDS) {
    const text = readTextField(row, [field]);
    if (text !== undefined) return text;
  }
  return undefined;
}
