import { describe, expect, it } from 'vitest';
import { rmData, type RmDataOptions } from '../../../src/data/rm-data/rm-data.ts';
import { useDataDir } from '../../helpers/data-dir.ts';

const data = useDataDir();

// A query's samples: one response per label (1 correct, 0 wrong), responses named id-index.
function query(id: string, labels: number[], question = `what is ${id}?`) {
  return labels.map((l, i) => ({ id, question, response: `${id}-${i}`, correct: l === 1, rm: i }));
}

function run(options: Partial<RmDataOptions>) {
  return rmData({ samples: data.path('s.jsonl'), out: data.path('o.jsonl'), group: 6, ...options });
}

describe('rm-data', () => {
  it('writes listwise groups of 6 for queries with at least one correct and one wrong response', async () => {
    data.write('s.jsonl', [
      ...query('a', [1, 0, 0, 1, 0, 0]),
      ...query('b', [1, 1, 1, 1, 1, 1]),
      ...query('c', [0, 0, 0, 0, 0, 0]),
      ...query('d', [0, 0, 0, 0, 0, 1]),
    ]);
    const summary = await run({});
    expect(data.read('o.jsonl')).toEqual([
      { id: 'a', question: 'what is a?', responses: ['a-0', 'a-1', 'a-2', 'a-3', 'a-4', 'a-5'], labels: [1, 0, 0, 1, 0, 0] },
      { id: 'd', question: 'what is d?', responses: ['d-0', 'd-1', 'd-2', 'd-3', 'd-4', 'd-5'], labels: [0, 0, 0, 0, 0, 1] },
    ]);
    expect(summary).toMatchObject({ queries: 4, kept: 2, allCorrect: 1, allWrong: 1, short: 0, written: 2, format: 'listwise' });
  });

  it('--pairs writes every (correct, wrong) pair of the group: k·(6−k) pairs', async () => {
    data.write('s.jsonl', [...query('a', [1, 0, 0, 1, 0, 0]), ...query('b', [1, 1, 1, 1, 1, 1])]);
    const summary = await run({ pairs: true });
    const pairs = data.read('o.jsonl');
    expect(pairs).toHaveLength(2 * 4);
    expect(pairs[0]).toEqual({ id: 'a', question: 'what is a?', chosen: 'a-0', rejected: 'a-1' });
    expect(pairs.map((p) => `${p.chosen}>${p.rejected}`)).toEqual([
      'a-0>a-1',
      'a-0>a-2',
      'a-0>a-4',
      'a-0>a-5',
      'a-3>a-1',
      'a-3>a-2',
      'a-3>a-4',
      'a-3>a-5',
    ]);
    expect(summary).toMatchObject({ kept: 1, written: 8, format: 'pairs' });
  });

  it('takes the first 6 distinct responses; identical responses count once; fewer than 6 distinct is dropped', async () => {
    const a = query('a', [1, 0, 1, 0, 1, 0, 1, 0]);
    a[2]!.response = 'a-0';
    data.write('s.jsonl', [...a, ...query('b', [1, 0, 1])]);
    const summary = await run({});
    expect(data.read('o.jsonl')).toEqual([
      { id: 'a', question: 'what is a?', responses: ['a-0', 'a-1', 'a-3', 'a-4', 'a-5', 'a-6'], labels: [1, 0, 0, 1, 0, 1] },
    ]);
    expect(summary).toMatchObject({ queries: 2, kept: 1, short: 1, samples: { rows: 11, duplicates: 1, extra: 1 } });
  });

  it("reads a query's samples as consecutive lines: a query that comes back is an error naming the line and --ungrouped", async () => {
    const a = query('a', [1, 0, 1, 0, 1, 0]);
    const b = query('b', [1, 0, 1, 0, 1, 0]);
    data.write('s.jsonl', [...a.slice(0, 3), ...b, ...a.slice(3)]);
    await expect(run({})).rejects.toThrow(`${data.path('s.jsonl')}:10: samples of query "a" appear again after other queries' samples`);
    const summary = await run({ ungrouped: true });
    expect(data.read('o.jsonl').map((g) => [g.id, g.responses.length])).toEqual([
      ['b', 6],
      ['a', 6],
    ]);
    expect(summary.kept).toBe(2);
  });

  it('looks questions up in --queries when samples lack them, and says so when neither has one', async () => {
    data.write(
      's.jsonl',
      query('a', [1, 0, 1, 0, 1, 0]).map(({ question: _, ...rest }) => rest),
    );
    await expect(run({})).rejects.toThrow('s.jsonl:1: no "question" for query "a"; pass --queries Q');
    data.write('q.jsonl', [{ id: 'a', question: 'From the query file', answer: '1' }]);
    await run({ queries: data.path('q.jsonl') });
    expect(data.read('o.jsonl')[0].question).toBe('From the query file');
  });

  it('a row without "correct" stops with its line; --skip-bad drops and counts it', async () => {
    const rows: object[] = query('a', [1, 0, 1, 0, 1, 0, 1]);
    (rows[1] as { correct?: boolean }).correct = undefined;
    data.write('s.jsonl', rows);
    await expect(run({})).rejects.toThrow('s.jsonl:2: no boolean "correct"');
    const summary = await run({ skipBad: true });
    expect(summary.samples.invalid).toBe(1);
    expect(data.read('o.jsonl')[0].responses).toEqual(['a-0', 'a-2', 'a-3', 'a-4', 'a-5', 'a-6']);
  });
});
