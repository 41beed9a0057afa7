import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { selectFiles } from '../../../src/data/select/select-files.ts';
import { jsonlWorkspace } from '../write-jsonl-fixture.ts';

const ws = jsonlWorkspace('loop-select-');
afterAll(() => rmSync(ws.dir, { recursive: true, force: true }));

// A hand-made set whose selections are known: see the comments per query.
const queries = ws.write('queries.jsonl', [
  { id: 'L1', question: 'What is 3 * 4?', answer: '12' },
  { id: 'L2', question: 'What is 2 + 3?', answer: '5' },
  { id: 'U1', question: 'Half of one?' },
  { id: 'U2', question: 'Seven or eight?' },
]);
const samples = ws.write('samples.jsonl', [
  // L1: correct are a (0.9, twice: counted once), b (0.7), e (0.2); d is wrong with the best rm.
  { id: 'L1', response: 'a: \\boxed{12}', rm: 0.9 },
  { id: 'L1', response: 'b: The answer is 12.', rm: 0.7 },
  { id: 'L1', response: 'a: \\boxed{12}', rm: 0.5 },
  { id: 'L1', response: 'd: \\boxed{13}', rm: 2.0 },
  { id: 'L1', response: 'e: \\boxed{12.0}', rm: 0.2 },
  // L2: nothing correct, nothing kept.
  { id: 'L2', response: '\\boxed{6}', rm: 1 },
  // U1: 1/2 and 0.5 are one answer (weight e^1 + e^0.5) against 3 (e^1.2 + e^-2): 1/2 wins under softmax.
  { id: 'U1', response: 'f: \\boxed{\\frac{1}{2}}', rm: 1.0 },
  { id: 'U1', response: 'g: \\boxed{0.5}', rm: 0.5 },
  { id: 'U1', response: 'h: \\boxed{3}', rm: 1.2 },
  { id: 'U1', response: 'i: \\boxed{3}', rm: -2 },
  // U2: three 7s at rm 0 against one 8 at rm 2: softmax picks 8 (7.39 > 3), sigmoid 7 (1.5 > 0.88),
  // raw ties at 3 and 3 and the larger class (7) wins.
  { id: 'U2', response: 'j: 7', rm: 0 },
  { id: 'U2', response: 'k: 7', rm: 0 },
  { id: 'U2', response: 'l: 7', rm: 0 },
  { id: 'U2', response: 'm: 8', rm: 2 },
]);

const kept = (name: string) => ws.read(name).map((r) => `${r.id} ${(r.response as string).slice(0, 1)}`);

describe('selectFiles', () => {
  it('keeps the top-k correct by rm for labeled queries, and the RM-weighted vote winner for unlabeled ones (softmax)', async () => {
    const stats = await selectFiles({ queries: [queries], samples, out: ws.path('out.jsonl'), topK: 2, weighting: 'softmax', workers: 0 });
    expect(kept('out.jsonl')).toEqual(['L1 a', 'L1 b', 'U1 f', 'U1 g', 'U2 m']);
    expect(stats).toMatchObject({
      queries: 4,
      queriesKept: 3,
      labeledQueriesKept: 1,
      unlabeledQueriesKept: 2,
      responsesKept: 5,
      duplicatesSkipped: 1,
      samples: 14,
    });
    expect(stats.voteMargin!.min).toBeGreaterThan(0);
    // Selected rows are the samples with the query's question added.
    expect(ws.read('out.jsonl')[0]).toEqual({ id: 'L1', response: 'a: \\boxed{12}', rm: 0.9, question: 'What is 3 * 4?' });
  });

  it("--votes writes each unlabeled query's winning answer and margin, in the queries' order", async () => {
    await selectFiles({
      queries: [queries],
      samples,
      out: ws.path('v.jsonl'),
      votes: ws.path('votes.jsonl'),
      topK: 2,
      weighting: 'softmax',
      workers: 0,
    });
    const votes = ws.read('votes.jsonl');
    expect(votes.map((v) => v.id)).toEqual(['U1', 'U2']);
    expect(['\\frac{1}{2}', '0.5']).toContain(votes[0]!.answer);
    expect(votes[1]!.answer).toBe('8');
    for (const v of votes) expect(v.margin).toBeGreaterThan(0);
    await selectFiles({
      queries: [queries],
      samples,
      out: ws.path('v2.jsonl'),
      votes: ws.path('votes2.jsonl'),
      topK: 2,
      weighting: 'sigmoid',
      workers: 0,
    });
    expect(ws.read('votes2.jsonl')[1]!.answer).toBe('7');
  });

  it('the weighting decides close votes: sigmoid and raw pick 7 for U2', async () => {
    await selectFiles({ queries: [queries], samples, out: ws.path('sig.jsonl'), topK: 5, weighting: 'sigmoid', workers: 0 });
    expect(kept('sig.jsonl').filter((r) => r.startsWith('U2'))).toEqual(['U2 j', 'U2 k', 'U2 l']);
    await selectFiles({ queries: [queries], samples, out: ws.path('raw.jsonl'), topK: 1, weighting: 'raw', workers: 0 });
    expect(kept('raw.jsonl').filter((r) => r.startsWith('U2'))).toEqual(['U2 j']);
  });

  it('top-k = 1 keeps the single best correct response; identical responses never appear twice', async () => {
    await selectFiles({ queries: [queries], samples, out: ws.path('k1.jsonl'), topK: 1, weighting: 'softmax', workers: 0 });
    expect(kept('k1.jsonl')).toEqual(['L1 a', 'U1 f', 'U2 m']);
    await selectFiles({ queries: [queries], samples, out: ws.path('k9.jsonl'), topK: 9, weighting: 'softmax', workers: 0 });
    const l1 = ws
      .read('k9.jsonl')
      .filter((r) => r.id === 'L1')
      .map((r) => r.response);
    expect(l1).toEqual(['a: \\boxed{12}', 'b: The answer is 12.', 'e: \\boxed{12.0}']);
  });

  it('uses "correct" from graded samples instead of judging again', async () => {
    const graded = ws.write('graded.jsonl', [
      { id: 'L1', response: 'x: \\boxed{999}', rm: 1, pred: '999', correct: true },
      { id: 'L1', response: 'y: \\boxed{12}', rm: 2, pred: '12', correct: false },
    ]);
    await selectFiles({ queries: [queries], samples: graded, out: ws.path('g.jsonl'), topK: 2, weighting: 'softmax', workers: 0 });
    expect(kept('g.jsonl')).toEqual(['L1 x']);
  });

  it('a sample without rm stops the run with its line, or is skipped and counted with skipBad', async () => {
    const noRm = ws.write('no-rm.jsonl', [
      { id: 'L1', response: '\\boxed{12}', rm: 1 },
      { id: 'L1', response: '\\boxed{12}' },
    ]);
    await expect(
      selectFiles({ queries: [queries], samples: noRm, out: ws.path('x.jsonl'), topK: 1, weighting: 'softmax', workers: 0 }),
    ).rejects.toThrow(/no-rm\.jsonl:2: the sample has no numeric "rm"/);
    const stats = await selectFiles({
      queries: [queries],
      samples: noRm,
      out: ws.path('x.jsonl'),
      topK: 1,
      weighting: 'softmax',
      workers: 0,
      skipBad: true,
    });
    expect(stats).toMatchObject({ bad: 1, responsesKept: 1 });
  });
});
