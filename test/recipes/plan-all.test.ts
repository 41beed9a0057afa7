import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

// Every recipe shipped in recipes/ (and recipes/bench/) passes `loop plan`, with its RL phase on where it has one,
// and every script its commands name beside the recipe ({{ recipe_dir }}/…) exists. New recipes are picked up here.

const root = path.resolve('.');
const recipes = [
  ...readdirSync(path.join(root, 'recipes')).filter((f) => f.endsWith('.yaml')).map((f) => path.join('recipes', f)),
  ...readdirSync(path.join(root, 'recipes', 'bench')).filter((f) => f.endsWith('.yaml')).map((f) => path.join('recipes', 'bench', f)),
];

interface Plan {
  name: string;
  stages: Array<{ name: string; command: string[] }>;
}

function plan(recipe: string, ...flags: string[]): Plan {
  const out = execFileSync(process.execPath, [path.join(root, 'bin', 'loop.mjs'), 'plan', recipe, '--json', ...flags], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  return JSON.parse(out) as Plan;
}

describe('every recipe in recipes/', { timeout: 60_000 }, () => {
  it('includes the framework variants', () => {
    expect(recipes).toEqual(expect.arrayContaining([
      'recipes/quickstart.yaml', 'recipes/qwen2.5-math.yaml', 'recipes/qwen2.5-math-trl.yaml',
      'recipes/qwen2.5-math-openrlhf.yaml', 'recipes/qwen2.5-math-verl.yaml', 'recipes/tiny-torch.yaml',
    ]));
  });

  it.each(recipes)('%s passes loop plan (its RL phase on), and the scripts it names exist', (recipe) => {
    const hasRl = /^rl:/m.test(readFileSync(path.join(root, recipe), 'utf8'));
    const result = plan(recipe, ...(hasRl ? ['--set', 'rl.enabled=true'] : []));
    if (hasRl) expect(result.stages.map((s) => s.name), recipe).toContain('rl_train');
    expect(result.stages.map((s) => s.name), recipe).toEqual(expect.arrayContaining(['train_sft', 'eval']));
    const dir = path.dirname(path.join(root, recipe));
    for (const stage of result.stages) {
      for (const arg of stage.command) {
        const m = /^\{\{ recipe_dir \}\}\/(\S+\.(?:py|mjs|sh|json))$/.exec(arg);
        if (m) expect(existsSync(path.join(dir, m[1]!)), `${recipe} ${stage.name}: ${m[1]}`).toBe(true);
      }
    }
  });

  it('the TRL variant trains its RM with RewardTrainer (train_rm_trl.py), the rest as the main recipe', () => {
    const main = plan('recipes/qwen2.5-math.yaml');
    const trl = plan('recipes/qwen2.5-math-trl.yaml');
    expect(trl.name).toBe('qwen2.5-math-trl');
    for (const stage of trl.stages) {
      const same = main.stages.find((s) => s.name === stage.name)!;
      if (stage.name === 'train_rm') expect(stage.command.join(' ')).toContain('qwen2.5-math/train_rm_trl.py --model');
      else expect(stage.command, stage.name).toEqual(same.command);
    }
  });

  it('the OpenRLHF variant runs OpenRLHF for sampling, scoring, SFT, RM and GRPO', () => {
    const scripts = Object.fromEntries(plan('recipes/qwen2.5-math-openrlhf.yaml', '--set', 'rl.enabled=true').stages.map((s) => [s.name, path.basename(s.command.find((a) => a.endsWith('.py')) ?? '')]));
    expect(scripts).toEqual({
      sample_rm: 'openrlhf_sample.py', grade: 'grade.py', train_rm: 'openrlhf_rm.py', sample_sft: 'openrlhf_sample.py',
      score: 'openrlhf_score.py', select: 'select_sft.py', train_sft: 'openrlhf_sft.py', eval: 'eval.py',
      rl_sample: 'openrlhf_sample.py', rl_grade: 'grade.py', rl_filter: 'rl_filter.py', rl_train: 'train_openrlhf.py', rl_eval: 'eval.py',
    });
  });
});
