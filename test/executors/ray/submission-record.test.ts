import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { nextSubmissionId, readSubmissions, recordSubmission } from '../../../src/executors/ray/submission-record.ts';

describe('the submission record (PREFIX.rayjob)', () => {
  it('holds each submission id once, confirmed when Ray accepted it, in order', () => {
    const prefix = path.join(mkdtempSync(path.join(tmpdir(), 'loop-ray-record-')), 'stage', 'attempt-1');
    expect(readSubmissions(prefix)).toEqual([]);
    recordSubmission(prefix, 'submitting', 'loop-r-i0-eval-a1-0abc');
    expect(readSubmissions(prefix)).toEqual([{ id: 'loop-r-i0-eval-a1-0abc', confirmed: false }]);
    recordSubmission(prefix, 'submitted', 'loop-r-i0-eval-a1-0abc');
    recordSubmission(prefix, 'submitting', 'loop-r-i0-eval-a1-0abc-r2');
    expect(readSubmissions(prefix)).toEqual([
      { id: 'loop-r-i0-eval-a1-0abc', confirmed: true },
      { id: 'loop-r-i0-eval-a1-0abc-r2', confirmed: false },
    ]);
  });

  it('names the first job after the attempt and later ones -r2, -r3', () => {
    expect(nextSubmissionId('loop-r-i0-eval-a1-0abc', [])).toBe('loop-r-i0-eval-a1-0abc');
    expect(nextSubmissionId('loop-r-i0-eval-a1-0abc', [{ id: 'loop-r-i0-eval-a1-0abc', confirmed: true }])).toBe(
      'loop-r-i0-eval-a1-0abc-r2',
    );
  });
});
