import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FileBlob } from '../../../src/store/hf/file-blob.ts';

const dir = mkdtempSync(join(tmpdir(), 'loop-file-blob-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function fileOf(bytes: Buffer, name: string): string {
  const file = join(dir, name);
  writeFileSync(file, bytes);
  return file;
}

async function streamed(blob: Blob): Promise<{ bytes: Buffer; pieces: number[] }> {
  const pieces: Buffer[] = [];
  for await (const piece of blob.stream()) pieces.push(Buffer.from(piece));
  return { bytes: Buffer.concat(pieces), pieces: pieces.map((p) => p.length) };
}

describe('FileBlob', () => {
  const content = randomBytes(9 * 2 ** 20 + 123);
  const file = fileOf(content, 'nine-mib.bin');

  it('reads what a Blob of the same bytes reads, for the whole file and for slices', async () => {
    const blob = FileBlob.of(file);
    const reference = new Blob([content]);
    expect(blob).toBeInstanceOf(Blob);
    expect(blob.size).toBe(reference.size);
    expect(blob.type).toBe('');
    const ranges: [number?, number?][] = [
      [],
      [0, 10],
      [5, 2],
      [-100],
      [-100, -50],
      [2 ** 20, 3 * 2 ** 20],
      [content.length - 1, 2 * content.length],
    ];
    for (const [start, end] of ranges) {
      const mine = blob.slice(start, end);
      const theirs = reference.slice(start, end);
      expect(mine.size).toBe(theirs.size);
      expect(Buffer.from(await mine.arrayBuffer()).equals(Buffer.from(await theirs.arrayBuffer()))).toBe(true);
      expect((await streamed(mine)).bytes.equals(Buffer.from(await theirs.arrayBuffer()))).toBe(true);
    }
    expect(Buffer.from(await blob.slice(10, 20).slice(2, 5).arrayBuffer()).equals(content.subarray(12, 15))).toBe(true);
  });

  it('streams in 4 MiB pieces, never the whole file at once', async () => {
    const { bytes, pieces } = await streamed(FileBlob.of(file));
    expect(bytes.equals(content)).toBe(true);
    expect(pieces).toEqual([4 * 2 ** 20, 4 * 2 ** 20, 2 ** 20 + 123]);
  });

  it('reads text, and an empty file or slice as nothing', async () => {
    const text = fileOf(Buffer.from('a small file: ünïcode'), 'small.txt');
    expect(await FileBlob.of(text).text()).toBe('a small file: ünïcode');
    const empty = FileBlob.of(fileOf(Buffer.alloc(0), 'empty'));
    expect(empty.size).toBe(0);
    expect((await streamed(empty)).bytes.length).toBe(0);
    expect((await empty.arrayBuffer()).byteLength).toBe(0);
  });

  it('says so when the file shrank after it was opened, instead of sending short content', async () => {
    const shrinking = fileOf(randomBytes(1000), 'shrinking.bin');
    const blob = FileBlob.of(shrinking);
    truncateSync(shrinking, 400);
    await expect(blob.arrayBuffer()).rejects.toThrow(/shrinking\.bin ended after 400 of 1000 bytes: it changed while being sent/);
  });
});
