import { createReadStream } from 'node:fs';
import { DataError } from './jsonl-error.ts';

// Streams the chosen lines of a file (1-based numbers, counted as readJsonlBatches counts them), found by scanning
// the raw bytes for newlines, so a second pass over a large file decodes only the lines it keeps.
export async function* pickLines(file: string, wanted: (line: number) => boolean): AsyncGenerator<Array<{ line: number; text: string }>> {
  let carry: Buffer | undefined;
  let line = 1;
  const stream = createReadStream(file, { highWaterMark: 1 << 20 });
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      const data = carry ? Buffer.concat([carry, chunk]) : chunk;
      const picked: Array<{ line: number; text: string }> = [];
      let start = 0;
      for (let end = data.indexOf(10, start); end !== -1; end = data.indexOf(10, start)) {
        if (wanted(line)) picked.push({ line, text: data.toString('utf8', start, end) });
        line += 1;
        start = end + 1;
      }
      carry = start < data.length ? data.subarray(start) : undefined;
      if (picked.length > 0) yield picked;
    }
  } catch (error) {
    throw new DataError(`cannot read ${file}: ${(error as Error).message}`, { cause: error });
  } finally {
    stream.destroy();
  }
  if (carry && carry.length > 0 && wanted(line)) yield [{ line, text: carry.toString('utf8') }];
}
