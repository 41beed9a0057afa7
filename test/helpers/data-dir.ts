import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';

// A temporary folder for one test file's JSONL inputs and outputs, removed after the file's tests.
export function useDataDir() {
  const dir = mkdtempSync(path.join(tmpdir(), 'loop-data-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return {
    dir,
    // Writes rows (objects, or raw strings for malformed lines) as JSONL; returns the path.
    write(name: string, rows: Array<object | string>): string {
      const file = path.join(dir, name);
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, rows.map((r) => (typeof r === 'string' ? r : JSON.stringify(r))).join('\n') + '\n');
      return file;
    },
    // biome-ignore lint/suspicious/noExplicitAny: tests read rows of any shape and check the fields they name.
    read(name: string): any[] {
      const text = readFileSync(path.join(dir, name), 'utf8').trim();
      return text === '' ? [] : text.split('\n').map((l) => JSON.parse(l));
    },
    path: (name: string) => path.join(dir, name),
  };
}

// A small seeded generator (mulberry32) so made-up data is the same on every run.
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
