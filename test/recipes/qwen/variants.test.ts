import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import path from 'node:path';

// The framework variants of the Qwen2.5-Math recipe, as `loop plan` shows them: the TRL variant differs from the main
// recipe in train_rm only (RewardTrainer), the verl variant in rl_train only; the OpenRLHF variant runs OpenRLHF for
// sampling, scoring, SFT, RM and GRPO.
// (test/recipe/every-recipe.test.ts validates every recipe; framework-adapters.test.ts tests their CPU-side scripts.)

interface Plan {
  name: string;
  stages: Array<{ name: string; command: string[] }>;
}

function plan(recipe: string, ...flags: string[]): Plan {
  const out = execFileSync(process.execPath, [path.resolve('bin/loop.mjs'), 'plan', recipe, '--json', ...flags], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  return JSON.parse(out) as Plan;
}

describe('the Qwen2.5-Math framework variants', { timeout: 60_000 }, () => {
  it('the TRL variant trains its RM with RewardTrainer (train_rm_trl.py), every other stage as the main recipe', () => {
    const main = plan('recipes/qwen2.5-math.yaml');
    const trl = plan('recipes/qwen2.5-math-trl.yaml');
    expect(trl.name).toBe('qwen2.5-math-trl');
    expect(trl.stages.map((s) => s.name)).toEqual(main.stages.map((s) => s.name));
    for (const stage of trl.stages) {
      const same = main.stages.find((s) => s.name === stage.name)!;
      if (stage.name === 'train_rm') expect(stage.command.join(' ')).toContain('qwen2.5-math/train_rm_trl.py --model');
      else expect(stage.command, stage.name).toEqual(same.command);
    }
  });

  it("the verl variant runs GRPO with verl (train_verl.py), every other stage as the main recipe's, command for command", () => {
    const main = plan('recipes/qwen2.5-math.yaml', '--set', 'rl.enabled=true');
    const verl = plan('recipes/qwen2.5-math-verl.yaml', '--set', 'rl.enabled=true');
    expect(verl.name).toBe('qwen2.5-math-verl');
    expect(verl.stages.map((s) => s.name)).toEqual(main.stages.map((s) => s.name));
    for (const stage of verl.stages) {
      const same = main.stages.find((s) => s.name === stage.name)!;
      if (stage.name === 'rl_train') expect(stage.command.join(' ')).toContain('qwen2.5-math/train_verl.py --model');
      else expect(stage.command, stage.name).toEqual(same.command);
    }
  });

  it('the OpenRLHF variant runs OpenRLHF for sampling, scoring, SFT, RM and GRPO', () => {
    const stages = plan('recipes/qwen2.5-math-openrlhf.yaml', '--set', 'rl.enabled=true').stages;
    const scripts = Object.fromEntries(stages.map((s) => [s.name, path.basename(s.command.find((a) => a.endsWith('.py')) ?? '')]));
    expect(scripts).toEqual({
      sample_rm: 'openrlhf_sample.py',
      grade: 'grade.py',
      train_rm: 'openrlhf_rm.py',
      sample_sft: 'openrlhf_sample.py',
      score: 'openrlhf_score.py',
      select: 'select_sft.py',
      train_sft: 'openrlhf_sft.py',
      eval: 'eval.py',
      rl_sample: 'openrlhf_sample.py',
      rl_grade: 'grade.py',
      rl_filter: 'rl_filter.py',
      rl_train: 'train_openrlhf.py',
      rl_eval: 'eval.py',
    });
  });
});
