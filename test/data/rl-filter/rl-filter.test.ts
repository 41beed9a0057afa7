import { describe, expect, it } from 'vitest';
import { rlFilter } from '../../../src/data/rl-filter/rl-filter.ts';
import { useDataDir } from '../../helpers/data-dir.ts';

const data = useDataDir();

// 8 samples for each query; query qK has K correct ones, and its samples are interleaved with the others'.
function samples(correctCounts: number[]) {
  const rows = [];
  for (let s = 0; s < 8; s++) {
    for (const [q, k] of correctCounts.entries()) rows.push({ id: `q${q}`, question: `question ${q}`, response: `r${s}`, correct: s < k });
  }
  return rows;
}

describe('rl-filter', () => {
  it('keeps exactly the queries with 2 to 5 of 8 correct, from unsorted samples', async () => {
    data.write('s.jsonl', samples([0, 1, 2, 3, 4, 5, 6, 7, 8, 5]));
    const summary = await rlFilter({ samples: data.path('s.jsonl'), out: data.path('o.jsonl'), min: 2, max: 5 });
    expect(data.read('o.jsonl')).toEqual([
      { id: 'q2', question: 'question 2', n_correct: 2, n_samples: 8 },
      { id: 'q3', question: 'question 3', n_correct: 3, n_samples: 8 },
      { id: 'q4', question: 'question 4', n_correct: 4, n_samples: 8 },
      { id: 'q5', question: 'question 5', n_correct: 5, n_samples: 8 },
      { id: 'q9', question: 'question 9', n_correct: 5, n_samples: 8 },
    ]);
    expect(summary).toMatchObject({ queries: 10, kept: 5, tooFew: 2, tooMany: 3, samplesPerQuery: { min: 8, max: 8 } });
    expect(summary.correctHistogram).toEqual({ 0: 1, 1: 1, 2: 1, 3: 1, 4: 1, 5: 2, 6: 1, 7: 1, 8: 1 });
  });

  it('with --queries, passes the kept query rows through in their order and counts queries without samples', async () => {
    data.write('s2.jsonl', samples([3, 8, 2]));
    data.write('q.jsonl', [
      { id: 'q2', question: 'Q2', answer: '4', source: 'x' },
      { id: 'q1', question: 'Q1', answer: '1' },
      { id: 'q7', question: 'never sampled', answer: '0' },
      { id: 'q0', question: 'Q0', answer: '9' },
    ]);
    const summary = await rlFilter({
      samples: data.path('s2.jsonl'),
      queries: data.path('q.jsonl'),
      out: data.path('o2.jsonl'),
      min: 2,
      max: 5,
    });
    expect(data.read('o2.jsonl')).toEqual([
      { id: 'q2', question: 'Q2', answer: '4', source: 'x', n_correct: 2, n_samples: 8 },
      { id: 'q0', question: 'Q0', answer: '9', n_correct: 3, n_samples: 8 },
    ]);
    expect(summary.withoutSamples).toBe(1);
  });

  it('numeric ids match their string form; rows without correct stop the run with their line', async () => {
    data.write('s3.jsonl', [
      { id: 1, correct: true },
      { id: '1', correct: true },
      { id: 2, correct: true },
    ]);
    await rlFilter({ samples: data.path('s3.jsonl'), out: data.path('o3.jsonl'), min: 2, max: 5 });
    expect(data.read('o3.jsonl')).toEqual([{ id: '1', n_correct: 2, n_samples: 2 }]);
    data.write('s4.jsonl', [{ id: 1, correct: true }, { id: 2 }]);
    await expect(rlFilter({ samples: data.path('s4.jsonl'), out: data.path('o4.jsonl'), min: 2, max: 5 })).rejects.toThrow(
      's4.jsonl:2: no boolean "correct"',
    );
  });
});
