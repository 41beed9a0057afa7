import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { voteFiles } from '../../../src/data/vote/vote-files.ts';
import { jsonlWorkspace } from '../write-jsonl-fixture.ts';

const ws = jsonlWorkspace('loop-vote-');
afterAll(() => rmSync(ws.dir, { recursive: true, force: true }));

const queries = ws.write('queries.jsonl', [
  { id: 'Q1', question: '?', answer: '7' },
  { id: 'Q2', question: '?', answer: '8' },
  { id: 'Q3', question: '?', answer: '\\frac{1}{2}' },
  { id: 'Q4', question: '?', answer: '100' },
  { id: 'U', question: '?' },
]);
// Q1 and Q2 share samples (three 7s at rm 0, one 8 at rm 2): majority, sigmoid and raw (tie on weight, more
// samples) pick 7; rm@k and softmax pick 8. Q3: 0.5 and 1/2 (rm 1 each) against 3 (rm 5): majority and sigmoid pick
// 1/2; rm@k, softmax and raw pick 3. Q4: nothing correct.
const pattern = (id: string) => [
  { id, response: '7', rm: 0 },
  { id, response: 'so 7', rm: 0 },
  { id, response: 'thus 7', rm: 0 },
  { id, response: '8', rm: 2 },
];
const samples = ws.write('samples.jsonl', [
  ...pattern('Q1'),
  ...pattern('Q2'),
  { id: 'Q3', response: '\\boxed{0.5}', rm: 1 },
  { id: 'Q3', response: '\\boxed{\\frac12}', rm: 1 },
  { id: 'Q3', response: '\\boxed{3}', rm: 5 },
  { id: 'Q4', response: '99', rm: 1 },
  { id: 'U', response: '1', rm: 1 },
]);

describe('voteFiles', () => {
  it('computes maj@k, rm@k and the RM-weighted votes on a hand-made set with known answers', async () => {
    const report = await voteFiles({ queries: [queries], samples, workers: 0 });
    expect(report).toMatchObject({
      queries: 4,
      unlabeledSkipped: 1,
      samples: 12,
      majAtK: 0.5,
      rmAtK: 0.25,
      rmVote: { raw: 0.25, sigmoid: 0.5, softmax: 0.25 },
      passAtK: 0.75,
      k: { min: 1, max: 4, mean: 3 },
    });
    expect(report.meanAccuracy).toBeCloseTo((0.75 + 0.25 + 2 / 3 + 0) / 4, 10);
  });

  it('--k uses only the first k samples of each query', async () => {
    const report = await voteFiles({ queries: [queries], samples, k: 1, workers: 0 });
    // First samples: Q1 "7" (right), Q2 "7" (wrong), Q3 "0.5" (right), Q4 "99" (wrong).
    expect(report).toMatchObject({ majAtK: 0.5, rmAtK: 0.5, passAtK: 0.5, k: { min: 1, max: 1, mean: 1 } });
  });

  it('without rm scores, rm@k and the weighted votes are null', async () => {
    const plain = ws.write('plain.jsonl', [
      { id: 'Q1', response: '7' },
      { id: 'Q1', response: '8' },
      { id: 'Q1', response: 'so 7' },
    ]);
    const report = await voteFiles({ queries: [queries], samples: plain, workers: 0 });
    expect(report).toMatchObject({ queries: 1, majAtK: 1, rmAtK: null, rmVote: null, missingRm: 3, labeledWithoutSamples: 3 });
  });
});
