import { createReadStream, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { Readable } from 'node:stream';
import type { ReadableStream } from 'node:stream/web';

// How much one read takes from the file. The Hub client reads a Blob twice as a web stream (its sha256, then the
// upload); in 64 KiB pieces, as `fs.openAsBlob` and a default read stream give them, the per-piece cost of web
// streams held its hash to about 430 MiB/s here, against about 1.3 GiB/s in 4 MiB pieces (docs/performance.md).
const PIECE = 4 * 2 ** 20;

// A byte range of a file on disk as a Blob that reads nothing until asked, in large pieces, and never holds more
// than one piece: what `@huggingface/hub` gets for a file to commit (its size, `slice` for multipart parts,
// `stream` for hashing and uploading, `arrayBuffer` for small files sent inside the commit).
export class FileBlob extends Blob {
  readonly #file: string;
  readonly #start: number;
  readonly #end: number;

  private constructor(file: string, start: number, end: number) {
    super([]);
    this.#file = file;
    this.#start = start;
    this.#end = end;
    // Blob's size and type are getters over the (here empty) native blob: own values shadow them.
    Object.defineProperty(this, 'size', { value: end - start, enumerable: true });
    Object.defineProperty(this, 'type', { value: '', enumerable: true });
  }

  /** The whole file, its size taken now (a file that changes afterwards is the caller's to avoid). */
  static of(file: string): FileBlob {
    return new FileBlob(file, 0, statSync(file).size);
  }

  override slice(start = 0, end = this.size): FileBlob {
    const at = (offset: number) => Math.min(this.size, offset < 0 ? Math.max(0, this.size + offset) : offset);
    const from = at(start);
    return new FileBlob(this.#file, this.#start + from, this.#start + Math.max(from, at(end)));
  }

  override stream(): ReadableStream<Uint8Array> {
    if (this.size === 0) return Readable.toWeb(Readable.from([])) as ReadableStream<Uint8Array>;
    const pieces = createReadStream(this.#file, { start: this.#start, end: this.#end - 1, highWaterMark: PIECE });
    return Readable.toWeb(pieces) as ReadableStream<Uint8Array>;
  }

  override async arrayBuffer(): Promise<ArrayBuffer> {
    const bytes = await this.bytes();
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  }

  override async bytes(): Promise<Uint8Array<ArrayBuffer>> {
    const bytes = new Uint8Array(this.size);
    const handle = await open(this.#file, 'r');
    try {
      for (let done = 0; done < bytes.length; ) {
        const { bytesRead } = await handle.read(bytes, done, bytes.length - done, this.#start + done);
        if (bytesRead === 0) throw new Error(`${this.#file} ended after ${done} of ${bytes.length} bytes: it changed while being sent`);
        done += bytesRead;
      }
    } finally {
      await handle.close();
    }
    return bytes;
  }

  override async text(): Promise<string> {
    return new TextDecoder().decode(await this.bytes());
  }
}
