import path from 'node:path';
import { readJsonl, type ReadJsonlOptions } from '../jsonl/read-jsonl.ts';
import { DataError } from '../jsonl/jsonl-error.ts';
import { readTextField } from '../text/read-text-field.ts';
import type { TestSetInput } from './test-index.ts';

// The test-side field layouts `--test-field auto` recognizes, tried in order: SVAMP and ASDiv put the problem's
// setting in a body field before the question; most sets use `problem` or `question`.
export const AUTO_TEST_FIELDS: readonly (readonly string[])[] = [['Body', 'Question'], ['problem'], ['body', 'question'], ['prompt']];

// The id a test row carries, under the names the public sets use, for REMOVED's `test_id`.
function rowId(row: Record<string, unknown>): string | number | undefined {
  for (const key of ['id', 'unique_id', 'ID', 'idx']) {
    const value = row[key];
    if (typeof value === 'string' || typeof value === 'number') return value;
  }
  return undefined;
}

// A test set's name from its path: "NAME=path" names it; else eval/aime24/test.jsonl is "aime24", x/foo.jsonl "foo".
export function testSetName(spec: string): { name: string; file: string } {
  const eq = spec.indexOf('=');
  if (eq > 0 && !spec.slice(0, eq).includes('/')) return { name: spec.slice(0, eq), file: spec.slice(eq + 1) };
  const base = path.basename(spec).replace(/\.jsonl$/, '');
  const name = base === 'test' ? path.basename(path.dirname(path.resolve(spec))) : base;
  return { name, file: spec };
}

// Reads one test set into memory (test sets are small: ~15k items for all public math benchmarks together).
export async function loadTestSet(
  spec: string,
  set: number,
  fields: readonly string[] | 'auto',
  options: ReadJsonlOptions,
): Promise<TestSetInput & { file: string; skipped: number }> {
  const { name, file } = testSetName(spec);
  const items: TestSetInput['items'] = [];
  let skipped = 0;
  for await (const { row, line } of readJsonl(file, options)) {
    const text = fields === 'auto' ? autoText(row) : readTextField(row, fields);
    if (text === undefined) {
      if (options.skipBad) {
        skipped += 1;
        continue;
      }
      const wanted = fields === 'auto' ? 'Question, problem, question or prompt' : `"${fields.join('+')}"`;
      throw new DataError(
        `${file}:${line}: the test item has no text field (${wanted}); name the field with --test-field, or pass --skip-bad to skip ` +
          `such items`,
      );
    }
    const id = rowId(row);
    items.push(id === undefined ? { set, line, text } : { set, line, id, text });
  }
  return { name, file, items, skipped };
}

// The first layout of AUTO_TEST_FIELDS whose main (last) field is present; body fields join in when present.
function autoText(row: Record<string, unknown>): string | undefined {
  for (const fields of AUTO_TEST_FIELDS) {
    const main = row[fields[fields.length - 1]!];
    if (typeof main === 'string' || typeof main === 'number') return readTextField(row, fields);
  }
  return undefined;
}
