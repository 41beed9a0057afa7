import { createWriteStream, renameSync, rmSync, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import path from 'node:path';
import { DataError } from './jsonl-error.ts';

export interface JsonlWriter {
  // Queues rows; resolves once the stream can take more (backpressure), so memory stays flat.
  write(rows: readonly unknown[]): Promise<void>;
  // Flushes and moves the file into place: a reader never sees a half-written output.
  close(): Promise<void>;
  // Drops the partial file (on error).
  abort(): void;
  readonly rows: number;
}

// Writes JSONL to a temporary file beside `file` and renames it into place on close.
export function createJsonlWriter(file: string): JsonlWriter {
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.partial`);
  let stream: WriteStream;
  try {
    stream = createWriteStream(temporary, { highWaterMark: 1 << 20 });
  } catch (error) {
    throw new DataError(`cannot write ${file}: ${(error as Error).message}`, { cause: error });
  }
  let failure: Error | undefined;
  stream.on('error', (error) => (failure = error));
  let count = 0;
  const check = () => {
    if (failure) throw new DataError(`cannot write ${file}: ${failure.message}`, { cause: failure });
  };
  return {
    get rows() {
      return count;
    },
    async write(rows) {
      check();
      if (rows.length === 0) return;
      let text = '';
      for (const row of rows) text += `${JSON.stringify(row)}\n`;
      count += rows.length;
      if (!stream.write(text)) await whichever(stream, 'drain', 'error');
      check();
    },
    async close() {
      check();
      stream.end();
      await whichever(stream, 'finish', 'error');
      check();
      renameSync(temporary, file);
    },
    abort() {
      stream.destroy();
      rmSync(temporary, { force: true });
    },
  };
}

// Waits for the first of two events and removes the other's listener (a bare Promise.race of two `once` calls leaves
// one 'error' listener behind per backpressure wait, which Node reports as a leak after ten).
async function whichever(stream: WriteStream, a: string, b: string): Promise<void> {
  const done = new AbortController();
  try {
    await Promise.race([once(stream, a, { signal: done.signal }), once(stream, b, { signal: done.signal })]);
  } finally {
    done.abort();
  }
}
