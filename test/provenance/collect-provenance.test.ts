import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { collectProvenance, stripCredentials } from '../../src/provenance/collect-provenance.ts';
import { describeProvenance } from '../../src/provenance/describe-provenance.ts';
import type { Recipe } from '../../src/recipe/types.ts';

// Provenance read from a real Git repository made for the test.
describe('collectProvenance', () => {
  let dir: string;
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, encoding: 'utf8' }).trim();
  const recipe = () =>
    ({
      recipeDir: dir,
      stages: [{ name: 'train_sft', executor: { kind: 'ssh', host: 'gpu7', user: 'me', setup: [] } }],
    }) as unknown as Recipe;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'loop-prov-'));
    writeFileSync(path.join(dir, 'recipe.json'), '{"name":"x"}');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('records commit, branch, dirty state and the remote without its credentials', async () => {
    git('init', '-q', '-b', 'work');
    git('-c', 'user.email=a@b', '-c', 'user.name=a', 'commit', '-q', '--allow-empty', '-m', 'first');
    git('remote', 'add', 'origin', 'https://alice:ghp_secret123@github.com/acme/recipes.git');
    const head = git('rev-parse', 'HEAD');
    const p = await collectProvenance(recipe(), path.join(dir, 'recipe.json'), 2, new Date('2026-01-01T00:00:00Z'));
    expect(p.git).toEqual({ commit: head, branch: 'work', dirty: true, remote: 'https://github.com/acme/recipes.git' });
    expect(p.iteration).toBe(2);
    expect(p.recipeSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(p.hosts.stages).toEqual({ train_sft: 'me@gpu7' });
    expect(JSON.stringify(p)).not.toContain('ghp_secret123');
    git('add', 'recipe.json');
    git('-c', 'user.email=a@b', '-c', 'user.name=a', 'commit', '-q', '-m', 'recipe');
    const clean = await collectProvenance(recipe(), path.join(dir, 'recipe.json'), 3, new Date());
    expect(clean.git?.dirty).toBe(false);
    expect(describeProvenance(clean)).toMatch(
      /^git [0-9a-f]{10} on work from https:\/\/github.com\/acme\/recipes.git · recipe [0-9a-f]{12} · loop \d/,
    );
  });

  it('reuses a Git reading less than a minute old (fast iterations), and reads again after', async () => {
    git('init', '-q', '-b', 'work');
    git('-c', 'user.email=a@b', '-c', 'user.name=a', 'commit', '-q', '--allow-empty', '-m', 'first');
    const t0 = new Date('2026-02-01T00:00:00Z');
    const first = await collectProvenance(recipe(), path.join(dir, 'recipe.json'), 1, t0);
    git('add', 'recipe.json');
    git('-c', 'user.email=a@b', '-c', 'user.name=a', 'commit', '-q', '-m', 'recipe');
    const soon = await collectProvenance(recipe(), path.join(dir, 'recipe.json'), 2, new Date(t0.getTime() + 30_000));
    expect(soon.git).toEqual(first.git);
    const later = await collectProvenance(recipe(), path.join(dir, 'recipe.json'), 3, new Date(t0.getTime() + 61_000));
    expect(later.git?.commit).toBe(git('rev-parse', 'HEAD'));
    expect(later.git?.commit).not.toBe(first.git?.commit);
    expect(later.git?.dirty).toBe(false);
  });

  it('is null for git when the recipe is not in a repository', async () => {
    const p = await collectProvenance(recipe(), path.join(dir, 'recipe.json'), 0, new Date());
    expect(p.git).toBeNull();
  });

  it('strips user and password from remote URLs only', () => {
    expect(stripCredentials('https://u:p@host/x.git')).toBe('https://host/x.git');
    expect(stripCredentials('ssh://git@host/x.git')).toBe('ssh://host/x.git');
    expect(stripCredentials('git@github.com:acme/x.git')).toBe('git@github.com:acme/x.git');
  });
});
