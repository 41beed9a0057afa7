import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { modelCard, type CardInput } from '../../src/store/model-card.ts';

// The card the Hub reads: front matter in its model-index form, and a table of every iteration.
describe('modelCard', () => {
  const input: CardInput = {
    repoId: 'acme/q-sft',
    role: 'sft',
    run: 'q',
    iteration: 1,
    datasetRepo: 'acme/q-data',
    baseModel: 'Qwen/Qwen2.5-Math-7B',
    mainMetric: 'eval.accuracy',
    iterations: [
      { index: 0, metrics: { 'eval.accuracy': 0.4, 'train_sft.loss': 1.2 } },
      { index: 1, metrics: { 'eval.accuracy': 0.55, 'eval.pass_at_8': 0.8, 'train_sft.loss': 0.9 } },
    ],
    provenance: null,
  };

  it("has YAML front matter with base model, datasets and the iteration's eval metrics in model-index", () => {
    const card = modelCard(input);
    const front = parse(card.split('---\n')[1]!) as Record<string, unknown>;
    expect(front).toMatchObject({
      base_model: 'Qwen/Qwen2.5-Math-7B',
      datasets: ['acme/q-data'],
      'model-index': [
        {
          name: 'q-sft',
          results: [
            {
              task: { type: 'text-generation' },
              dataset: { type: 'acme/q-data' },
              metrics: [
                { type: 'eval.accuracy', value: 0.55 },
                { type: 'eval.pass_at_8', value: 0.8 },
              ],
            },
          ],
        },
      ],
    });
  });

  it('tabulates every iteration with its revision, the main metric first, and is the same for the same input', () => {
    const card = modelCard(input);
    expect(card).toContain('| iteration | revision | eval.accuracy | eval.pass_at_8 |');
    expect(card).toContain('| 0 | iter-0 | 0.4 | — |');
    expect(card).toContain('| 1 | iter-1 | 0.55 | 0.8 |');
    expect(modelCard(input)).toBe(card);
  });

  it("gives the RL policy's card its base (the SFT repo), its tag and the RL phase's metrics, rl_eval first", () => {
    const card = modelCard({
      ...input,
      repoId: 'acme/q-rl',
      role: 'rl',
      rl: { metrics: { 'rl_train.steps': 40, 'rl_eval.accuracy': 0.61 }, sftRepo: 'acme/q-sft' },
    });
    const front = parse(card.split('---\n')[1]!) as Record<string, unknown>;
    expect(front).toMatchObject({
      base_model: 'acme/q-sft',
      tags: ['loop', 'grpo'],
      'model-index': [
        { name: 'q-rl', results: [{ task: { type: 'text-generation' }, metrics: [{ type: 'rl_eval.accuracy', value: 0.61 }] }] },
      ],
    });
    expect(card).toContain('from the SFT policy `acme/q-sft` at `iter-1`');
    const rows = card.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| ---'));
    expect(rows).toEqual([
      '| metric | value |',
      '| rl_eval.accuracy | 0.61 |',
      '| rl_train.steps | 40 |',
      '| eval.accuracy of the SFT policy it started from | 0.55 |',
    ]);
  });
});
