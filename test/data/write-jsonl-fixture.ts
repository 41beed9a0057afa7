import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export type Row = Record<string, unknown>;

// A temporary folder for one test file's JSONL inputs and outputs.
export function jsonlWorkspace(prefix: string) {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  return {
    dir,
    write(name: string, rows: Row[]): string {
      const file = path.join(dir, name);
      writeFileSync(file, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
      return file;
    },
    read(name: string): Row[] {
      return readFileSync(path.join(dir, name), 'utf8')
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map((l) => JSON.parse(l) as Row);
    },
    path: (name: string) => path.join(dir, name),
  };
}
