import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import type { StageJob } from '../../../../src/executors/executor.ts';
import { createLocalExecutor } from '../../../../src/executors/local/run-local.ts';
import { createSshExecutor } from '../../../../src/executors/ssh/run-ssh.ts';
import type { Copier } from '../../../../src/executors/wrappers/transfer/copier.ts';
import { createRemoteShell } from '../../../../src/executors/wrappers/transfer/remote-shell.ts';
import { createRsyncCopier } from '../../../../src/executors/wrappers/transfer/rsync-copier.ts';
import { createTarCopier } from '../../../../src/executors/wrappers/transfer/tar-copier.ts';
import { withTransfer } from '../../../../src/executors/wrappers/transfer/with-transfer.ts';
import { describeWith } from '../../../support/optional-dependency.ts';
import { sshdAvailable, sshTarget } from '../../../support/sshd.ts';

const root = mkdtempSync(path.join(tmpdir(), 'loop-transfer-'));
const workdir = mkdtempSync(path.join(tmpdir(), 'loop-transfer-host-'));
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
  rmSync(workdir, { recursive: true, force: true });
});

// A stage job as run-stage makes it, on the test sshd without a shared filesystem.
function stageJob(name: string, script: string): StageJob {
  const recipeDir = path.join(root, name, 'recipe');
  const runDir = path.join(root, name, 'home/runs/r');
  const stageDir = path.join(runDir, 'iterations/0/s');
  const out = path.join(stageDir, 'out');
  mkdirSync(out, { recursive: true });
  mkdirSync(recipeDir, { recursive: true });
  writeFileSync(path.join(recipeDir, 'stage.sh'), script);
  const t = sshTarget();
  return {
    argv: ['sh', path.join(recipeDir, 'stage.sh')],
    cwd: recipeDir,
    logFile: path.join(stageDir, 'log.txt'),
    env: { LOOP_RUN_DIR: runDir, LOOP_RECIPE_DIR: recipeDir, LOOP_OUT: out },
    controlPrefix: path.join(stageDir, 'attempt-1'),
    inputs: {},
    executor: {
      kind: 'ssh',
      host: t.host,
      port: t.port,
      identityFile: t.identityFile,
      options: t.options,
      setup: [],
      sharedFilesystem: false,
      workdir,
    },
  };
}

// A real copier whose pulls leave the given file truncated, the first `times` times: a copy cut short.
function truncating(file: string, times: number): (copier: Copier) => Copier {
  let left = times;
  return (copier) => ({
    ...copier,
    tool: copier.tool,
    async pull(remoteDir, localDir) {
      const result = await copier.pull(remoteDir, localDir);
      if (left-- > 0) truncateSync(path.join(localDir, file), 2);
      return result;
    },
  });
}

const SCRIPT = 'printf hello > "$LOOP_OUT/a.txt"; echo "{\\"n\\": 1}" > "$LOOP_OUT/metrics.json"; echo "stage ran in $PWD"\n';

describeWith('copying to a host without a shared filesystem', sshdAvailable(), () => {
  for (const tool of ['rsync', 'tar'] as const) {
    it(`${tool}: sends a tree to its mirrored path, again only the changed files, and pulls a folder back whole`, {
      timeout: 60_000,
    }, async () => {
      const shell = createRemoteShell(sshTarget());
      const copier = tool === 'rsync' ? createRsyncCopier(shell, workdir) : createTarCopier(shell, workdir);
      const tree = path.join(root, `tree-${tool}`);
      mkdirSync(path.join(tree, 'sub dir'), { recursive: true });
      writeFileSync(path.join(tree, 'kept.txt'), 'same');
      writeFileSync(path.join(tree, 'sub dir/changed.txt'), 'one');
      expect(await copier.push([tree], [], `mkdir -p ${workdir}`)).toEqual({ ok: true });
      const changeTime = async (rel: string) => (await shell.run(`stat -c %z '${workdir}${tree}/${rel}'`)).stdout.trim();
      const before = { kept: await changeTime('kept.txt'), changed: await changeTime('sub dir/changed.txt') };
      expect(readFileSync(`${workdir}${tree}/sub dir/changed.txt`, 'utf8')).toBe('one');
      writeFileSync(path.join(tree, 'sub dir/changed.txt'), 'two!');
      expect(await copier.push([tree], [], 'true')).toEqual({ ok: true });
      expect(readFileSync(`${workdir}${tree}/sub dir/changed.txt`, 'utf8')).toBe('two!');
      expect(await changeTime('kept.txt')).toBe(before.kept);
      expect(await changeTime('sub dir/changed.txt')).not.toBe(before.changed);
      const back = path.join(root, `back-${tool}`);
      expect(await copier.pull(`${workdir}${tree}`, back)).toEqual({ ok: true });
      expect(readFileSync(path.join(back, 'sub dir/changed.txt'), 'utf8')).toBe('two!');
      expect(readdirSync(back).sort()).toEqual(['kept.txt', 'sub dir']);
    });
  }

  for (const tool of ['rsync', 'tar'] as const) {
    it(`${tool}: runs a stage in the copy of its recipe folder and brings its outputs back, checked`, { timeout: 60_000 }, async () => {
      const job = stageJob(`ok-${tool}`, SCRIPT);
      const executor = withTransfer(createSshExecutor(), { local: createLocalExecutor(), logPollMs: 200, prefer: tool });
      const execution = await executor.run(job);
      expect(execution.ok, execution.error).toBe(true);
      expect(readFileSync(path.join(job.env.LOOP_OUT!, 'a.txt'), 'utf8')).toBe('hello');
      const log = readFileSync(job.logFile, 'utf8');
      expect(log).toContain(`stage ran in ${workdir}${job.cwd}\n`);
      expect(log).toContain('=== loop: outputs copied back and checked');
      expect(readFileSync(`${job.controlPrefix}.exit`, 'utf8').trim()).toBe('0');
      expect(statSync(`${workdir}${job.env.LOOP_OUT}/a.txt`).size).toBe(5);
    });
  }

  it('never accepts a copy that came back truncated: the attempt fails and {{ out }} keeps nothing of it', {
    timeout: 60_000,
  }, async () => {
    const job = stageJob('truncated', SCRIPT);
    const executor = withTransfer(createSshExecutor(), {
      local: createLocalExecutor(),
      wrapCopier: truncating('a.txt', 5),
      copyTries: 2,
      sleep: async () => undefined,
    });
    const execution = await executor.run(job);
    expect(execution.ok).toBe(false);
    expect(execution.exitCode).toBe(0);
    expect(execution.error).toBe(
      "the stage ended well on 127.0.0.1 but copying its outputs back failed: the copy does not match the host's files: " +
        'a.txt has 2 bytes, the host has 5; nothing was accepted (a retry or `loop resume` runs the attempt again)',
    );
    expect(readdirSync(job.env.LOOP_OUT!)).toEqual([]);
  });

  it('tries a bad copy again, and accepts the second when it is whole', { timeout: 60_000 }, async () => {
    const job = stageJob('retried', SCRIPT);
    const executor = withTransfer(createSshExecutor(), {
      local: createLocalExecutor(),
      wrapCopier: truncating('a.txt', 1),
      copyTries: 2,
      sleep: async () => undefined,
    });
    const execution = await executor.run(job);
    expect(execution.ok, execution.error).toBe(true);
    expect(readFileSync(path.join(job.env.LOOP_OUT!, 'a.txt'), 'utf8')).toBe('hello');
  });
});
