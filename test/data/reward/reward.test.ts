import { describe, expect, it } from 'vitest';
import { shapedReward } from '../../../src/data/reward/shaped-reward.ts';
import { addRewards } from '../../../src/data/reward/add-rewards.ts';
import { useDataDir, seededRandom } from '../../helpers/data-dir.ts';

const data = useDataDir();

describe('reward', () => {
  it('is sigmoid(alpha·rm) + (correct − 1): known values', () => {
    expect(shapedReward(0, true, 0.5)).toBe(0.5);
    expect(shapedReward(0, false, 0.5)).toBe(-0.5);
    expect(shapedReward(2, true, 0.5)).toBeCloseTo(1 / (1 + Math.exp(-1)), 12);
    expect(shapedReward(-4, false, 0.5)).toBeCloseTo(1 / (1 + Math.exp(2)) - 1, 12);
    expect(shapedReward(3, true, 1)).toBeCloseTo(0.9525741268, 9);
  });

  it('every wrong answer scores below every right one, whatever the RM says', () => {
    const random = seededRandom(3);
    const rms = Array.from({ length: 500 }, () => (random() - 0.5) * 40);
    const worstRight = Math.min(...rms.map((rm) => shapedReward(rm, true, 0.5)));
    const bestWrong = Math.max(...rms.map((rm) => shapedReward(rm, false, 0.5)));
    expect(bestWrong).toBeLessThan(worstRight);
  });

  it('adds "reward" to each sample, passing other fields through, and summarizes', async () => {
    data.write('s.jsonl', [
      { id: 'a', response: 'x', correct: true, rm: 0, extra: [1] },
      { id: 'a', response: 'y', correct: false, rm: 2 },
    ]);
    const summary = await addRewards({ samples: data.path('s.jsonl'), out: data.path('o.jsonl'), alpha: 0.5 });
    expect(data.read('o.jsonl')).toEqual([
      { id: 'a', response: 'x', correct: true, rm: 0, extra: [1], reward: 0.5 },
      { id: 'a', response: 'y', correct: false, rm: 2, reward: 1 / (1 + Math.exp(-1)) - 1 },
    ]);
    expect(summary).toMatchObject({ rows: 2, written: 2, bad: 0, invalid: 0, correct: { count: 1, meanReward: 0.5 } });
  });

  it('stops at a row without rm or correct, with its line; --skip-bad drops and counts it', async () => {
    data.write('bad.jsonl', [{ id: 'a', correct: true, rm: 1 }, { id: 'b', correct: 'yes', rm: 1 }, '{oops', { id: 'c', correct: false }]);
    await expect(addRewards({ samples: data.path('bad.jsonl'), out: data.path('o2.jsonl'), alpha: 0.5 })).rejects.toThrow(
      ':3: malformed line',
    );
    data.write('bad2.jsonl', [
      { id: 'a', correct: true, rm: 1 },
      { id: 'b', correct: 'yes', rm: 1 },
    ]);
    await expect(addRewards({ samples: data.path('bad2.jsonl'), out: data.path('o2.jsonl'), alpha: 0.5 })).rejects.toThrow(
      `${data.path('bad2.jsonl')}:2: no boolean "correct" (run \`loop data grade\` with queries that have answers first)`,
    );
    const summary = await addRewards({ samples: data.path('bad.jsonl'), out: data.path('o2.jsonl'), alpha: 0.5, skipBad: true });
    expect(summary).toMatchObject({ rows: 3, written: 1, bad: 1, invalid: 2 });
    expect(data.read('o2.jsonl').map((r) => r.id)).toEqual(['a']);
  });
});
