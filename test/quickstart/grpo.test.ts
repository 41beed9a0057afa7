// The quickstart's RL pieces: the shaped reward orders every wrong answer below every right one, GRPO's
// group advantages and gradient behave as the method says, and rl-filter keeps queries with 2 to 5 of 8 right.
import { describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
// @ts-expect-error plain ES module without types
import { groupAdvantages, groupGradient, shapedReward, softmax, toLogits } from '../../recipes/quickstart/lib/grpo.mjs';

const scripts = resolve('recipes/quickstart');

describe('quickstart GRPO', () => {
  it('the shaped reward puts every wrong answer below every right one, the RM ordering within each', () => {
    const rms = [-60, -3, -0.5, 0, 0.5, 3, 60]; // beyond |60|, sigmoid(0.5·rm) rounds to 0 or 1 and the two meet at 0
    const wrong = rms.map((rm) => shapedReward(rm, false));
    const right = rms.map((rm) => shapedReward(rm, true));
    expect(Math.max(...wrong)).toBeLessThan(Math.min(...right));
    expect(shapedReward(0, true)).toBeCloseTo(0.5);
    expect(shapedReward(0, false)).toBeCloseTo(-0.5);
    expect(shapedReward(2, true)).toBeCloseTo(1 / (1 + Math.exp(-1))); // alpha 0.5
    for (let i = 1; i < rms.length; i++) expect(right[i]).toBeGreaterThanOrEqual(right[i - 1]);
  });

  it('group advantages are centred and scaled per group; a uniform group gives none', () => {
    const a = groupAdvantages([1, 0, 0, 1]);
    expect(a).toEqual([1, -1, -1, 1]);
    expect(groupAdvantages([0.3, 0.3, 0.3])).toEqual([0, 0, 0]);
  });

  it('the gradient raises the logit of what scored above the group mean', () => {
    const dist = { a: 0.5, b: 0.5 };
    const g = groupGradient(dist, ['a', 'b'], groupAdvantages([1, 0]));
    expect(g.a).toBeGreaterThan(0);
    expect(g.b).toBeCloseTo(-g.a);
    const back = softmax(toLogits({ a: 0.2, b: 0.8 }));
    expect(back.a).toBeCloseTo(0.2);
  });

  it('rl-filter keeps the queries with 2 to 5 of 8 correct', () => {
    const dir = mkdtempSync(join(tmpdir(), 'loop-rl-filter-'));
    const queries = ['q0', 'q1', 'q2', 'q5', 'q6', 'q8'].map((id) => ({ id, question: 'What is 1 + 1?', answer: '2' }));
    writeFileSync(join(dir, 'queries.jsonl'), queries.map((q) => JSON.stringify(q)).join('\n') + '\n');
    const graded = queries.flatMap((q) => {
      const k = Number(q.id.slice(1));
      return Array.from({ length: 8 }, (_, i) => JSON.stringify({ id: q.id, response: '', correct: i < k }));
    });
    writeFileSync(join(dir, 'graded.jsonl'), graded.join('\n') + '\n');
    const out = join(dir, 'kept.jsonl');
    execFileSync('node', [join(scripts, 'rl-filter.mjs'), '--queries', join(dir, 'queries.jsonl'), '--graded', join(dir, 'graded.jsonl'),
      '--min', '2', '--max', '5', '--out', out]);
    const kept = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { id: string; sft_correct: number });
    expect(kept.map((q) => q.id)).toEqual(['q2', 'q5']);
    expect(JSON.parse(readFileSync(join(dir, 'metrics.json'), 'utf8'))).toEqual({ queries: 6, kept: 2, kept_share: 0.3333, too_easy: 2, too_hard: 2 });
    const bad = spawnSync('node', [join(scripts, 'rl-filter.mjs'), '--queries', join(dir, 'queries.jsonl'), '--graded', join(dir, 'graded.jsonl'),
      '--min', '6', '--max', '5', '--out', out], { encoding: 'utf8' });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('--min 6 is more than --max 5');
  });
});
