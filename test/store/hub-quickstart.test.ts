import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHubEmulator, type HubEmulator } from '../support/hub-emulator/hub-emulator.ts';
import type { HubRepo } from '../support/hub-emulator/hub-state.ts';
import { runCliAsync } from '../helpers/run-cli-async.ts';

const RECIPE = path.resolve('recipes/quickstart.yaml');
// A token value that is easy to find anywhere it should not be.
const TOKEN = `hf_MustNeverLeak${Date.now()}Zq`;
const HF = ['--set', 'store.kind=hf', '--set', 'store.namespace=acme'];

let emulator: HubEmulator;
let home: string;
let env: Record<string, string>;
beforeAll(async () => {
  emulator = await startHubEmulator({ tokens: [TOKEN], lfsThreshold: 100_000 });
  home = mkdtempSync(path.join(tmpdir(), 'loop-hubrun-'));
  env = { HF_ENDPOINT: emulator.url, HF_TOKEN: TOKEN };
});
afterAll(async () => {
  await emulator.close();
  rmSync(home, { recursive: true, force: true });
});

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const repo = (key: string): HubRepo => {
  const r = emulator.repos.get(key);
  if (!r) throw new Error(`no repo ${key}; repos: ${[...emulator.repos.keys()].join(', ')}`);
  return r;
};
const headFiles = (r: HubRepo, revision: string) => r.commits.get(r.branches.get(revision) ?? r.tags.get(revision) ?? '')?.files;
const commitCount = () => [...emulator.repos.values()].reduce((n, r) => n + r.commits.size, 0);
const status = async (name: string) =>
  JSON.parse((await runCliAsync(['status', name, '--json', '--home', home], { cwd: home })).stdout) as {
    status: string;
    iterations: Array<{ index: number }>;
  };
const stageRecord = (name: string, it: number, stage: string) =>
  JSON.parse(readFileSync(path.join(home, 'runs', name, 'iterations', String(it), stage, 'status.json'), 'utf8')) as {
    outputs: Record<string, { sha256: string }>;
  };

// The must-show: the quickstart versioned on a Hub (the emulator on 127.0.0.1) with `--set store.kind=hf`.
describe('the quickstart with store.kind=hf', () => {
  it('publishes a branch iter-N per iteration in acme/q-sft, acme/q-rm and datasets/acme/q-data, main at the last', {
    timeout: 240_000,
  }, async () => {
    const run = await runCliAsync(['run', RECIPE, '--name', 'q', '--home', home, ...HF], { cwd: home, env, timeoutMs: 200_000 });
    expect(run.code, run.stderr).toBe(0);
    const report = await status('q');
    expect(report.status).toBe('succeeded');
    const last = report.iterations.at(-1)!.index;
    expect(last).toBeGreaterThanOrEqual(2);
    const sft = repo('models/acme/q-sft');
    const rm = repo('models/acme/q-rm');
    const data = repo('datasets/acme/q-data');
    expect(sft.private).toBe(true);
    for (const { index } of report.iterations) {
      const branch = `iter-${index}`;
      const model = headFiles(sft, branch)!.get('policy.json')!;
      expect(sha256(model.content)).toBe(stageRecord('q', index, 'train_sft').outputs.model!.sha256);
      expect(headFiles(sft, branch)!.get('README.md')?.content.toString()).toContain(`iteration ${index}`);
      const dataFiles = headFiles(data, branch)!;
      expect(sha256(dataFiles.get('eval/predictions.jsonl')!.content)).toBe(stageRecord('q', index, 'eval').outputs.predictions!.sha256);
      expect(JSON.parse(dataFiles.get('metrics.json')!.content.toString())).toHaveProperty('eval.accuracy');
      expect(JSON.parse(dataFiles.get('provenance.json')!.content.toString())).toMatchObject({ iteration: index, tool: { name: 'loop' } });
      if (index === 0) continue;
      expect(sha256(headFiles(rm, branch)!.get('rm.json')!.content)).toBe(stageRecord('q', index, 'train_rm').outputs.model!.sha256);
      for (const p of [
        'sample_rm/samples.jsonl',
        'grade/graded.jsonl',
        'sample_sft/samples.jsonl',
        'score/scored.jsonl',
        'select/selected.jsonl',
        'select/votes.jsonl',
      ]) {
        expect(dataFiles.has(p), `${p} in iter-${index}`).toBe(true);
      }
    }
    // Large files went through LFS.
    expect([...headFiles(data, `iter-${last}`)!.values()].some((f) => f.lfs)).toBe(true);
    for (const r of [sft, rm, data]) {
      expect(r.branches.get('main')).toBe(r.branches.get(`iter-${last}`));
      expect(r.tags.get('final')).toBe(r.branches.get(`iter-${last}`));
      expect(r.tags.has('best')).toBe(true);
    }
    // The model card: front matter with model-index, a table of every iteration.
    const card = headFiles(sft, 'main')!.get('README.md')!.content.toString();
    expect(card).toMatch(/^---\n[\s\S]*model-index:[\s\S]*- type: eval\.accuracy[\s\S]*\n---\n/);
    expect(card).toContain('datasets:\n  - acme/q-data');
    for (const { index } of report.iterations) expect(card).toContain(`| ${index} | iter-${index} |`);
    // Commit messages name run, iteration and stage, with the stage's metrics.
    const titles = [...sft.commits.values()].map((c) => `${c.title}\n${c.message}`);
    expect(titles.some((t) => /^q iteration 1: train_sft \(train_sft\.\w+ = /.test(t) && t.includes('stage: train_sft'))).toBe(true);
  });

  it('publishing the same run again creates no commit and sends no file', async () => {
    const before = commitCount();
    const seen = emulator.requests.length;
    const again = await runCliAsync(['publish', 'q', '--json', '--home', home], { cwd: home, env, timeoutMs: 120_000 });
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toEqual({ commits: 0, files: 0 });
    expect(commitCount()).toBe(before);
    expect(emulator.requests.slice(seen).filter((r) => /\/commit\/|^PUT|preupload|\/tag\//.test(r) || r.includes('/branch/'))).toEqual([]);
  });

  it('lists artifacts with hf:// locations and pulls one back', async () => {
    const listed = await runCliAsync(['artifacts', 'q', '--iteration', '1', '--json', '--home', home], { cwd: home, env });
    expect(listed.code, listed.stderr).toBe(0);
    const rows = JSON.parse(listed.stdout) as Array<{ stage: string; location: string; sha256: string }>;
    expect(rows.find((r) => r.stage === 'train_rm')?.location).toBe('hf://acme/q-rm@iter-1/rm.json');
    expect(rows.find((r) => r.stage === 'select')?.location).toBe('hf://datasets/acme/q-data@iter-1/select/selected.jsonl');
    const dir = path.join(home, 'pulled');
    const pulled = await runCliAsync(['pull', 'q@1', 'train_rm', dir, '--home', home], { cwd: home, env });
    expect(pulled.code, pulled.stderr).toBe(0);
    expect(sha256(readFileSync(path.join(dir, 'rm.json')))).toBe(rows.find((r) => r.stage === 'train_rm')!.sha256);
  });

  it('refuses to pull bytes that are not the published ones, and leaves no file behind', async () => {
    const files = headFiles(repo('models/acme/q-rm'), 'iter-1')!;
    const stored = files.get('rm.json')!;
    const tampered = Buffer.from(stored.content);
    tampered[0] = tampered[0]! ^ 1;
    files.set('rm.json', { ...stored, content: tampered });
    try {
      const dir = path.join(home, 'pulled-tampered');
      const pulled = await runCliAsync(['pull', 'q@1', 'train_rm', dir, '--home', home], { cwd: home, env });
      expect(pulled.code, pulled.stderr).toBe(8);
      expect(pulled.stderr).toMatch(/rm\.json downloaded from acme\/q-rm@\w{8} hashes to \w{64}, not the published \w{64}/);
      expect(existsSync(path.join(dir, 'rm.json'))).toBe(false);
    } finally {
      files.set('rm.json', stored);
    }
  });

  it('a failed upload stops the run with exit 8; loop resume finishes the pending upload and goes on', { timeout: 240_000 }, async () => {
    emulator.faults.push({ method: 'POST', path: '/api/datasets/acme/r-data/commit/', status: 500, times: 1000 });
    const run = await runCliAsync(['run', RECIPE, '--name', 'r', '--home', home, ...HF, '--set', 'until.max_iterations=1'], {
      cwd: home,
      env,
    });
    expect(run.code, run.stderr).toBe(8);
    expect(run.stderr).toMatch(/store: publishing eval of iteration 0 failed.*HTTP 500/);
    expect(run.stderr).toContain('loop resume r');
    expect(run.stderr).not.toContain(TOKEN);
    emulator.faults.length = 0;
    const resumed = await runCliAsync(['resume', 'r', '--home', home], { cwd: home, env, timeoutMs: 200_000 });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toMatch(/finished \d+ pending upload/);
    const data = repo('datasets/acme/r-data');
    expect(headFiles(data, 'iter-0')!.has('eval/predictions.jsonl')).toBe(true);
    expect(data.branches.get('main')).toBe(data.branches.get('iter-1'));
    const again = await runCliAsync(['publish', 'r', '--json', '--home', home], { cwd: home, env });
    expect(JSON.parse(again.stdout)).toEqual({ commits: 0, files: 0 });
  });

  it("the token's value appears nowhere under the run directory or anything else loop wrote", () => {
    const hits: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const file = path.join(dir, name);
        if (statSync(file).isDirectory()) walk(file);
        else if (readFileSync(file).includes(TOKEN)) hits.push(file);
      }
    };
    walk(home);
    expect(hits).toEqual([]);
    // And the check itself can find it: the token is in this process's env for the CLI runs, not in the files.
    expect(readdirSync(path.join(home, 'runs'))).toEqual(expect.arrayContaining(['q', 'r']));
  });
});
