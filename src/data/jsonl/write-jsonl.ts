import { createWriteStream, renameSync, rmSync, type WriteStream } from 'node:fs';
import path from 'node:path';
import { DataError } from './jsonl-error.ts';

export interface JsonlWriter {
  // Queues rows; resolves once the stream can take more (backpressure), so memory stays flat.
  write(rows: readonly unknown[]): Promise<void>;
  // Queues lines already serialized (each ending in a newline), e.g. copied unchanged from an input.
  writeLines(text: string, rows: number): Promise<void>;
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
      if (!stream.write(text)) await drained(stream);
      check();
    },
    async writeLines(text, rows) {
      check();
      if (text === '') return;
      count += rows;
      if (!stream.write(text)) await drained(stream);
      check();
    },
    async close() {
      check();
      stream.end();
      await settled(stream, 'finish');
      check();
      try {
        renameSync(temporary, file);
      } catch (error) {
        rmSync(temporary, { force: true });
        throw new DataError(`cannot write ${file}: ${(error as Error).message}`, { cause: error });
      }
    },
    abort() {
      stream.destroy();
      rmSync(temporary, { force: true });
    },
  };
}

// Waits for 'drain' (or an error, recorded by the stream's error listener) and removes both listeners, so a long write
// does not pile listeners up on the stream.
function drained(stream: WriteStream): Promise<void> {
  return settled(stream, 'drain');
}

function settled(stream: WriteStream, event: 'drain' | 'finish'): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      stream.off(event, done);
      stream.off('error', done);
      resolve();
    };
    stream.on(event, done);
    stream.on('error', done);
  });
}
