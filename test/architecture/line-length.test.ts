import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// Biome formats to 140 columns but leaves a long string or regex whole; this catches those (characters, not bytes).
const LIMIT = 140;
const ROOTS = ['src', 'test', 'scripts', 'bin'];

function codeFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    if (statSync(file).isDirectory()) return file === path.join('test', 'fixtures') ? [] : codeFiles(file);
    return /\.(ts|mjs|js)$/.test(name) ? [file] : [];
  });
}

describe('line length', () => {
  it(`keeps every line of code within ${LIMIT} characters`, () => {
    const long = ROOTS.flatMap(codeFiles).flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .flatMap((line, i) => ([...line].length > LIMIT ? [`${file}:${i + 1} (${[...line].length})`] : [])),
    );
    expect(long).toEqual([]);
  });
});
