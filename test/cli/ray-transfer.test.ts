import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { attemptName } from '../../src/executors/attempt-name.ts';
import { runCli } from '../helpers/run-cli.ts';
import { stageFolders } from '../helpers/stage-folders.ts';
import { describeWith } from '../support/optional-dependency.ts';
import { holdRayCluster, RAY_ADDRESS, rayAvailable, rayJobs } from '../support/ray.ts';
import { sshdAvailable, sshTarget } from '../support/sshd.ts';

const RECIPE = path.resolve('recipes/quickstart.yaml');
const home = mkdtempSync(path.join(tmpdir(), 'loop-ray-transfer-'));
// The cluster's workdir: a folder of its own, so a job finds nothing at the controller's paths by accident.
const workdir = mkdtempSync(path.join(tmpdir(), 'loop-ray-transfer-head-'));
afterAll(() => {
  rmSync(home, { recursive: true, force: true });
  rmSync(workdir, { recursive: true, force: true });
});
const BUILTIN = new Set(['grade', 'select']);
const evalMetrics = (runDir: string) =>
  readdirSync(path.join(runDir, 'iterations'))
    .sort()
    .map((it) => JSON.parse(readFileSync(path.join(runDir, 'iterations', it, 'eval/status.json'), 'utf8')).metrics.accuracy);

describeWith('the quickstart on Ray without a shared filesystem', rayAvailable() === true ? sshdAvailable() : rayAvailable(), () => {
  holdRayCluster();

  it('copies inputs to workdir through head_host and outputs back: the same eval.accuracy as a local run, one Ray job per stage run', {
    timeout: 300_000,
  }, async () => {
    const t = sshTarget();
    const ray = [
      'executor.kind=ray',
      `executor.address=${RAY_ADDRESS}`,
      'executor.shared_filesystem=false',
      `executor.head_host=${t.host}:${t.port}`,
      `executor.head_options=[${[...t.options, `IdentityFile=${t.identityFile}`].join(', ')}]`,
      `executor.workdir=${workdir}`,
    ].flatMap((s) => ['--set', s]);
    const common = ['--set', 'until.max_iterations=1', '--home', home];
    const local = runCli(['run', RECIPE, '--name', 'l', ...common], { cwd: home, timeoutMs: 120_000 });
    expect(local.code, local.stderr).toBe(0);
    const ran = runCli(['run', RECIPE, '--name', 'c', ...ray, ...common], { cwd: home, timeoutMs: 240_000 });
    expect(ran.code, ran.stderr + ran.stdout).toBe(0);

    const runDir = path.join(home, 'runs/c');
    expect(evalMetrics(runDir)).toHaveLength(2);
    expect(evalMetrics(runDir)).toEqual(evalMetrics(path.join(home, 'runs/l')));
    const stageRuns = readdirSync(path.join(runDir, 'iterations')).flatMap((it) =>
      stageFolders(path.join(runDir, 'iterations', it)).map((stage) => ({ it: Number(it), stage })),
    );
    const onRay = stageRuns.filter((r) => !BUILTIN.has(r.stage));
    expect(onRay.length).toBeGreaterThan(4);
    for (const r of onRay) {
      const dir = path.join(runDir, 'iterations', String(r.it), r.stage);
      // The job worked in the copy: its outputs are under workdir, and came back whole.
      expect(existsSync(path.join(workdir, dir, 'out')), `${r.it}/${r.stage}`).toBe(true);
      expect(readdirSync(path.join(dir, 'out')).sort()).toEqual(readdirSync(path.join(workdir, dir, 'out')).sort());
      expect(readFileSync(path.join(dir, 'log.txt'), 'utf8')).toContain('=== loop: outputs copied back and checked');
    }
    // Ray's own list: one job per stage run that went to the cluster, each started from the script's copy.
    const names = onRay.map((r) => attemptName({ run: 'c', runRoot: runDir, iteration: r.it, stage: r.stage, attempt: 1 }));
    const hash = names[0]!.slice(names[0]!.lastIndexOf('-'));
    const ours = (await rayJobs()).filter((j) => j.submissionId.startsWith('loop-c-') && j.submissionId.endsWith(hash));
    expect(ours.map((j) => j.submissionId).sort()).toEqual([...names].sort());
    for (const j of ours) {
      expect(j.status, j.submissionId).toBe('SUCCEEDED');
      expect(j.entrypoint).toMatch(new RegExp(`^sh ${workdir}${runDir}/iterations/\\d+/\\w+/attempt-1\\.ray\\.sh$`));
    }
  });
});
