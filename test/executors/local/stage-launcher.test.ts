import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { StageJob } from '../../../src/executors/executor.ts';
import { createLocalExecutor } from '../../../src/executors/local/run-local.ts';
import { createStageLauncher } from '../../../src/executors/local/stage-launcher.ts';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const folders: string[] = [];
afterAll(() => folders.forEach((folder) => rmSync(folder, { recursive: true, force: true })));

function wrappedJob(argv: string[], env: Record<string, string> = {}): StageJob {
  const cwd = mkdtempSync(join(tmpdir(), 'loop-launcher-'));
  folders.push(cwd);
  return { argv, cwd, env, logFile: join(cwd, 'log.txt'), controlPrefix: join(cwd, 'attempt-1') };
}

const parentOf = (pid: number) => Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[1]);
const commandLine = (pid: number) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');

async function waitFor(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(20);
  }
}

// The wrapper's pid, once it has recorded its start.
async function startedWrapper(job: StageJob): Promise<number> {
  const starts = `${job.controlPrefix}.starts`;
  await waitFor(() => existsSync(starts) && readFileSync(starts, 'utf8').trim() !== '');
  return Number(readFileSync(starts, 'utf8').trim());
}

describe('stage launcher', () => {
  it('starts wrapped stages from its own small process; secrets travel in the environment, never in an argument list', async () => {
    const executor = createLocalExecutor({ launcher: createStageLauncher() });
    const job = wrappedJob(['/bin/sh', '-c', 'echo "$LOOP_TEST_SECRET"; sleep 1'], { LOOP_TEST_SECRET: 'hf_not_a_real_token' });
    const running = executor.run(job);
    const wrapper = await startedWrapper(job);
    const launcher = parentOf(wrapper);
    expect(launcher).not.toBe(process.pid);
    expect(commandLine(launcher).some((arg) => arg.endsWith('stage-launcher.mjs'))).toBe(true);
    for (const pid of [launcher, wrapper]) expect(commandLine(pid).join(' ')).not.toContain('hf_not_a_real_token');
    const result = await running;
    expect(result).toMatchObject({ ok: true, exitCode: 0, pid: wrapper });
    expect(readFileSync(job.logFile, 'utf8')).toContain('hf_not_a_real_token');
  });

  it('collects a stage whose launcher died while it ran, and starts the next stage through a new launcher', async () => {
    const executor = createLocalExecutor({ launcher: createStageLauncher() });
    const job = wrappedJob(['/bin/sh', '-c', 'sleep 1; exit 3']);
    const running = executor.run(job);
    const wrapper = await startedWrapper(job);
    const launcher = parentOf(wrapper);
    process.kill(launcher, 'SIGKILL');
    const result = await running;
    expect(result).toMatchObject({ ok: false, exitCode: 3, signal: null, pid: wrapper });
    expect(readFileSync(`${job.controlPrefix}.starts`, 'utf8').trim().split('\n')).toHaveLength(1);

    const next = wrappedJob(['/bin/sh', '-c', 'exit 0']);
    expect(await executor.run(next)).toMatchObject({ ok: true, exitCode: 0 });
    const again = Number(readFileSync(`${next.controlPrefix}.starts`, 'utf8').trim());
    expect(again).not.toBe(wrapper);
  });

  it('never keeps the controller alive once its stages are done', () => {
    const dir = mkdtempSync(join(tmpdir(), 'loop-launcher-'));
    folders.push(dir);
    const script = join(dir, 'one-stage.mts');
    writeFileSync(
      script,
      `import { createLocalExecutor } from ${JSON.stringify(join(root, 'src/executors/local/run-local.ts'))};\n` +
        `const result = await createLocalExecutor().run({ argv: ['/bin/true'], cwd: ${JSON.stringify(dir)}, env: {}, ` +
        `logFile: ${JSON.stringify(join(dir, 'log.txt'))}, controlPrefix: ${JSON.stringify(join(dir, 'attempt-1'))} });\n` +
        `console.log(JSON.stringify(result));\n`,
    );
    const started = Date.now();
    const output = execFileSync(process.execPath, ['--import', 'tsx', script], { cwd: root, encoding: 'utf8', timeout: 20_000 });
    expect(JSON.parse(output)).toMatchObject({ ok: true, exitCode: 0 });
    expect(Date.now() - started).toBeLessThan(20_000);
  });
});
