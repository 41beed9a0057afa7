import { createReadStream } from 'node:fs';
import { DataError } from './jsonl-error.ts';

// Streams a text file's lines unparsed, in batches, with the same 1-based numbering as readJsonlBatches, so a second
// pass can copy chosen lines byte for byte without parsing the rest.
export async function* readLineBatches(file: string): AsyncGenerator<{ lines: string[]; first: number }> {
  let rest = '';
  let next = 1;
  const stream = createReadStream(file, { highWaterMark: 1 << 20, encoding: 'utf8' });
  try {
    for await (const chunk of stream as AsyncIterable<string>) {
      const text = rest + chunk;
      const parts = text.split('\n');
      rest = parts.pop()!;
      yield { lines: parts, first: next };
      next += parts.length;
    }
  } catch (error) {
    throw new DataError(`cannot read ${file}: ${(error as Error).message}`, { cause: error });
  } finally {
    stream.destroy();
  }
  if (rest !== '') yield { lines: [rest], first: next };
}
