import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadRecipe } from '../../src/recipe/load-recipe.ts';
import { RecipeError } from '../../src/recipe/recipe-error.ts';
import { checkExecutorsAvailable } from '../../src/executors/check-executors.ts';

const QWEN = 'recipes/qwen2.5-math.yaml';
// A PATH folder holding executables named sbatch, ssh and tar: the check looks programs up, it does not run them.
const clients = mkdtempSync(path.join(tmpdir(), 'loop-clients-'));
for (const name of ['sbatch', 'ssh', 'tar']) writeFileSync(path.join(clients, name), '#!/bin/sh\n', { mode: 0o755 });
afterAll(() => rmSync(clients, { recursive: true, force: true }));

describe('checkExecutorsAvailable', () => {
  it('accepts Slurm and SSH stages where their clients are on PATH', () => {
    expect(() => checkExecutorsAvailable(loadRecipe(QWEN), clients)).not.toThrow();
  });

  it('names the stages whose executor cannot run here, why, and the overrides that move them to this machine', () => {
    expect(() => checkExecutorsAvailable(loadRecipe(QWEN), '/nonexistent')).toThrow(
      'stages sample_rm, grade, train_rm, sample_sft, score, select, train_sft, eval, rl_sample, rl_grade, rl_filter, rl_train, rl_eval ' +
        'cannot run: ' +
        "Slurm's sbatch is not on PATH here; install the Slurm client or set executor.login_host to a login node reached over ssh; " +
        'fix that, or run them on this machine with --set executor.kind=local --set stages.grade.executor.kind=local --set ' +
        'stages.select.executor.kind=local ' +
        '--set rl.stages.rl_grade.executor.kind=local --set rl.stages.rl_filter.executor.kind=local',
    );
  });

  it('refuses a Ray address that is not a dashboard before the run, naming RAY_ADDRESS; accepts one that is', () => {
    const recipe = loadRecipe(QWEN, {
      sets: ['executor.kind=ray', 'stages.grade.executor.kind=local', 'stages.select.executor.kind=local'],
    });
    expect(() => checkExecutorsAvailable(recipe, clients, { RAY_ADDRESS: 'head:6379' })).toThrow(
      new RegExp(
        '^stages sample_rm, train_rm, sample_sft, score, train_sft, eval, rl_sample, rl_train, rl_eval cannot run: ' +
          'RAY_ADDRESS is "head:6379", not the dashboard\'s http\\(s\\) URL; .*; ' +
          'fix that, or run them on this machine with --set executor.kind=local$',
      ),
    );
    expect(() => checkExecutorsAvailable(recipe, clients, { RAY_ADDRESS: 'http://head:8265' })).not.toThrow();
    expect(() => checkExecutorsAvailable(recipe, clients, {})).not.toThrow();
  });

  it('Ray without a shared filesystem: needs ssh here, and refuses a sharded stage (its shards would need copies too)', () => {
    const recipe = loadRecipe(QWEN, {
      sets: [
        'executor.kind=ray',
        'executor.shared_filesystem=false',
        'executor.head_host=ubuntu@head',
        'executor.workdir=/mnt/cluster/loop',
        'stages.grade.executor.kind=local',
        'stages.select.executor.kind=local',
        'rl.stages.rl_grade.executor.kind=local',
        'rl.stages.rl_filter.executor.kind=local',
      ],
    });
    expect(() => checkExecutorsAvailable(recipe, clients, {})).not.toThrow();
    const tarOnly = mkdtempSync(path.join(tmpdir(), 'loop-tar-only-'));
    writeFileSync(path.join(tarOnly, 'tar'), '#!/bin/sh\n', { mode: 0o755 });
    expect(() => checkExecutorsAvailable(recipe, tarOnly, {})).toThrow(
      /cannot run: Ray with shared_filesystem: false copies files through head_host over ssh, and ssh is not on PATH here/,
    );
    rmSync(tarOnly, { recursive: true, force: true });
    const sharded = loadRecipe(QWEN, {
      sets: [
        'executor.kind=ray',
        'executor.shared_filesystem=false',
        'executor.head_host=ubuntu@head',
        'executor.workdir=/mnt/cluster/loop',
        'stages.grade.executor.kind=local',
        'stages.select.executor.kind=local',
        'rl.stages.rl_grade.executor.kind=local',
        'rl.stages.rl_filter.executor.kind=local',
        'stages.sample_sft.shards=4',
      ],
    });
    expect(() => checkExecutorsAvailable(sharded, clients, {})).toThrow(
      /^stages sample_sft cannot run: sharded stages \(shards: 4\) need a shared filesystem/,
    );
  });

  it('refuses a host without a shared filesystem when the recipe does not say where files go there', () => {
    const recipe = loadRecipe(QWEN, {
      sets: [
        'executor.kind=ssh',
        'executor.host=gpu1',
        'executor.shared_filesystem=false',
        'stages.grade.executor.kind=local',
        'stages.select.executor.kind=local',
      ],
    });
    expect(() => checkExecutorsAvailable(recipe, clients)).toThrow(
      new RegExp(
        '^stages sample_rm, train_rm, sample_sft, score, train_sft, eval, rl_sample, rl_train, rl_eval cannot run: ' +
          'shared_filesystem: false needs executor.workdir, an absolute folder on the host that receives the copies ' +
          String.raw`\(e.g. \/scratch\/USER\/loop\); fix that, or run them on this machine with --set executor.kind=local$`,
      ),
    );
    const relative = loadRecipe(QWEN, {
      sets: ['executor.kind=ssh', 'executor.host=gpu1', 'executor.shared_filesystem=false', 'executor.workdir=loop'],
    });
    expect(() => checkExecutorsAvailable(relative, clients)).toThrow(/needs executor.workdir, an absolute folder/);
    const slurm = loadRecipe(QWEN, { sets: ['executor.shared_filesystem=false', 'executor.workdir=/scratch/me/loop'] });
    expect(() => checkExecutorsAvailable(slurm, clients)).toThrow(
      /Slurm with shared_filesystem: false needs executor.login_host, the login node that files are copied to over ssh/,
    );
  });

  it('accepts a host without a shared filesystem given a working directory there (and a login node for Slurm)', () => {
    const ssh = loadRecipe(QWEN, {
      sets: ['executor.kind=ssh', 'executor.host=gpu1', 'executor.shared_filesystem=false', 'executor.workdir=/scratch/me/loop'],
    });
    expect(() => checkExecutorsAvailable(ssh, clients)).not.toThrow();
    const slurm = loadRecipe(QWEN, {
      sets: ['executor.shared_filesystem=false', 'executor.workdir=/scratch/me/loop', 'executor.login_host=me@login1:2222'],
    });
    expect(() => checkExecutorsAvailable(slurm, clients)).not.toThrow();
  });

  it('refuses a sharded stage on a host without a shared filesystem, naming it', () => {
    const recipe = loadRecipe(QWEN, {
      sets: [
        'executor.kind=ssh',
        'executor.host=gpu1',
        'executor.shared_filesystem=false',
        'executor.workdir=/scratch/me/loop',
        'stages.sample_sft.shards=4',
      ],
    });
    expect(() => checkExecutorsAvailable(recipe, clients)).toThrow(
      new RegExp(
        String.raw`^stages sample_sft cannot run: sharded stages \(shards: 4\) need a shared filesystem: .*; ` +
          String.raw`fix that, or run them on this machine with --set executor\.kind=local$`,
      ),
    );
  });

  it("accepts the recipe moved to this machine: switching a kind drops the old kind's options", () => {
    const recipe = loadRecipe(QWEN, {
      sets: [
        'executor.kind=local',
        'stages.grade.executor.kind=local',
        'stages.select.executor.kind=local',
        'rl.stages.rl_grade.executor.kind=local',
        'rl.stages.rl_filter.executor.kind=local',
      ],
    });
    expect(() => checkExecutorsAvailable(recipe, '/nonexistent')).not.toThrow();
    expect(recipe.stages.every((s) => s.executor.kind === 'local')).toBe(true);
  });

  it('an override that removes an anchor still used by aliases is a recipe error, not a crash', () => {
    try {
      loadRecipe(QWEN, { sets: ['executor={kind: local}'] });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(RecipeError);
      expect((error as Error).message).toMatch(/Unresolved alias .*account; define each anchor \(&name\) before its aliases \(\*name\)$/);
    }
  });
});
