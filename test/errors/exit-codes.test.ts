import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EXIT, exitCodeFor } from '../../src/errors/exit-codes.ts';
import { ERROR_CODES, isErrorCode } from '../../src/errors/loop-error.ts';
import { exitCodeForRuns } from '../../src/cli/drive/exit-code-for-runs.ts';

// docs/reference/exit-codes.md's table: each error code in backticks, by the exit code of its row.
function documentedCodes(): Map<string, number> {
  const table = readFileSync(new URL('../../docs/reference/exit-codes.md', import.meta.url), 'utf8');
  const codes = new Map<string, number>();
  for (const row of table.split('\n').filter((line) => /^\| \d+ \|/.test(line))) {
    const [, exit, names] = row.split('|');
    for (const [, code] of names!.matchAll(/`(E_[A-Z_]+)`/g)) codes.set(code!, Number(exit));
  }
  return codes;
}

describe('exitCodeFor', () => {
  const documented = documentedCodes();
  it.each(ERROR_CODES)('%s exits with the code its row of docs/reference/exit-codes.md gives', (code) => {
    expect(documented.get(code), `${code} is missing from docs/reference/exit-codes.md`).toBeDefined();
    expect(exitCodeFor(code)).toBe(documented.get(code));
  });

  it('documents no code that does not exist', () => {
    expect([...documented.keys()].filter((code) => !isErrorCode(code))).toEqual([]);
  });
});

describe('exitCodeForRuns', () => {
  const failed = (code?: 'E_STORE' | 'E_STAGE_FAILED') => ({
    status: 'failed' as const,
    error: { stage: 'eval', iteration: 0, message: 'x', ...(code ? { code } : {}) },
  });
  const ended = (status: 'succeeded' | 'stopped' | 'paused') => ({ status, error: null });

  it('gives 0 when every run succeeded or was stopped', () => {
    expect(exitCodeForRuns([ended('succeeded')])).toBe(EXIT.ok);
    expect(exitCodeForRuns([ended('succeeded'), ended('stopped')])).toBe(EXIT.ok);
  });

  it("gives the failed run's code, one run or many: 8 for the store, 4 for a stage", () => {
    expect(exitCodeForRuns([failed('E_STORE')])).toBe(EXIT.store);
    expect(exitCodeForRuns([ended('succeeded'), failed('E_STORE'), ended('paused')])).toBe(EXIT.store);
    expect(exitCodeForRuns([failed('E_STAGE_FAILED')])).toBe(EXIT.stageFailed);
    expect(exitCodeForRuns([ended('paused'), failed('E_STAGE_FAILED'), failed('E_STORE')])).toBe(EXIT.stageFailed);
  });

  it('reads a failure without a code (a snapshot from before codes were kept) as a stage failure', () => {
    expect(exitCodeForRuns([failed()])).toBe(EXIT.stageFailed);
  });

  it('gives 130 when a run paused or never started and none failed', () => {
    expect(exitCodeForRuns([ended('paused')])).toBe(EXIT.interrupted);
    expect(exitCodeForRuns([ended('succeeded'), undefined])).toBe(EXIT.interrupted);
  });
});
