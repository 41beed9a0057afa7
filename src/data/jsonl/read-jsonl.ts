import { createReadStream } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { DataError } from './jsonl-error.ts';

export interface ReadJsonlOptions {
  // Skip malformed lines instead of stopping; each one is counted in `stats.bad`.
  skipBad?: boolean;
  // Called after each chunk with the bytes read so far (for progress on long inputs).
  onProgress?: (bytesRead: number) => void;
}

export interface JsonlStats {
  rows: number;
  bad: number;
  bytes: number;
}

export interface JsonlBatch<T> {
  rows: T[];
  // The 1-based line number of each row, parallel to `rows` (blank lines are skipped, so numbers can jump).
  lines: number[];
}

// Streams a JSONL file as batches of parsed objects, one batch per read chunk: memory stays flat whatever the file's
// size, and a per-batch loop costs far less than an await per row. A malformed line, or a line that is not a JSON
// object, stops the read with its file and line number unless `skipBad` is set.
export async function* readJsonlBatches<T = Record<string, unknown>>(
  file: string,
  options: ReadJsonlOptions = {},
  stats: JsonlStats = { rows: 0, bad: 0, bytes: 0 },
): AsyncGenerator<JsonlBatch<T>> {
  const decoder = new StringDecoder('utf8');
  const startBytes = stats.bytes;
  let rest = '';
  let line = 0;
  const stream = createReadStream(file, { highWaterMark: 1 << 20 });
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      stats.bytes += chunk.length;
      let text = rest + decoder.write(chunk);
      // A UTF-8 byte-order mark (as some Windows tools write) is not part of the first line.
      if (stats.bytes === chunk.length + startBytes && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      const end = text.lastIndexOf('\n');
      if (end === -1) {
        rest = text;
        continue;
      }
      rest = text.slice(end + 1);
      const batch = parseLines<T>(file, text.slice(0, end), line, options, stats);
      line += batch.count;
      options.onProgress?.(stats.bytes);
      if (batch.rows.length > 0) yield { rows: batch.rows, lines: batch.lines };
    }
  } catch (error) {
    if (error instanceof DataError) throw error;
    throw new DataError(`cannot read ${file}: ${(error as Error).message}`, { cause: error });
  } finally {
    stream.destroy();
  }
  const tail = rest + decoder.end();
  if (tail.trim() !== '') {
    const batch = parseLines<T>(file, tail, line, options, stats);
    if (batch.rows.length > 0) yield { rows: batch.rows, lines: batch.lines };
  }
}

// Streams a JSONL file one object at a time (the simple form of readJsonlBatches).
export async function* readJsonl<T = Record<string, unknown>>(
  file: string,
  options: ReadJsonlOptions = {},
  stats?: JsonlStats,
): AsyncGenerator<{ row: T; line: number }> {
  for await (const batch of readJsonlBatches<T>(file, options, stats)) {
    for (let i = 0; i < batch.rows.length; i++) yield { row: batch.rows[i]!, line: batch.lines[i]! };
  }
}

function parseLines<T>(file: string, text: string, before: number, options: ReadJsonlOptions, stats: JsonlStats) {
  const rows: T[] = [];
  const lines: number[] = [];
  let count = 0;
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    count += 1;
    const raw = text.slice(start, end);
    start = end + 1;
    // Blank lines are skipped; a line starting with "{" (nearly all) needs no trim to know it is not blank.
    if (raw.charCodeAt(0) !== 123 && raw.trim() === '') continue;
    const lineNumber = before + count;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (error) {
      value = error;
    }
    // JSON.parse reads a number past the double range (1e999) as Infinity, which JSON.stringify would write as null.
    if (value !== null && typeof value === 'object' && !(value instanceof Error) && hasNonFinite(value))
      value = new Error('a number out of range: past ±1.8e308');
    if (value === null || typeof value !== 'object' || Array.isArray(value) || value instanceof Error) {
      if (options.skipBad) {
        stats.bad += 1;
        continue;
      }
      const why = value instanceof Error ? value.message : 'not a JSON object';
      throw new DataError(`${file}:${lineNumber}: malformed line (${why}); fix the line, or pass --skip-bad to skip and count such lines`);
    }
    stats.rows += 1;
    rows.push(value as T);
    lines.push(lineNumber);
  }
  return { rows, lines, count };
}

// Whether a parsed value holds a number JSON cannot write back (only an out-of-range literal gives one).
function hasNonFinite(value: object): boolean {
  for (const v of Object.values(value)) {
    if (typeof v === 'number' ? !Number.isFinite(v) : typeof v === 'object' && v !== null && hasNonFinite(v)) return true;
  }
  return false;
}
