import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { StageJob } from '../../../src/executors/executor.ts';
import { createLocalExecutor } from '../../../src/executors/local/run-local.ts';
import { createStageLauncher } from '../../../src/executors/local/stage-launcher.ts';
import { UNRECORDED_EXIT } from '../../../src/executors/common/attempt-files.ts';

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

// The stage's pid, once the launcher has recorded its start ("PID START LAUNCHER_PID LAUNCHER_START").
async function startedStage(job: StageJob): Promise<number> {
  const starts = `${job.controlPrefix}.starts`;
  await waitFor(() => existsSync(starts) && readFileSync(starts, 'utf8').trim() !== '');
  return Number(readFileSync(starts, 'utf8').trim().split(' ')[0]);
}

const isGone = (pid: number) =>
  !existsSync(`/proc/${pid}/stat`) || readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.startsWith('Z');

describe('stage launcher', () => {
  it('starts stages from its own small process and records them; secrets go in the environment, never in an argument list', async () => {
    const executor = createLocalExecutor({ launcher: createStageLauncher() });
    const job = wrappedJob(['/bin/sh', '-c', 'echo "$LOOP_TEST_SECRET"; sleep 1; exit 130'], { LOOP_TEST_SECRET: 'hf_not_a_real_token' });
    const running = executor.run(job);
    const stage = await startedStage(job);
    const launcher = parentOf(stage);
    expect(launcher).not.toBe(process.pid);
    expect(commandLine(launcher).some((arg) => arg.endsWith('stage-launcher.mjs'))).toBe(true);
    expect(readFileSync(`${job.controlPrefix}.starts`, 'utf8').trim().split(' ')[2]).toBe(String(launcher));
    for (const pid of [launcher, stage]) expect(commandLine(pid).join(' ')).not.toContain('hf_not_a_real_token');
    const result = await running;
    // Its own parent, the launcher sees an exit code above 128 apart from a signal, and records it so (256 + 130).
    expect(result).toMatchObject({ ok: false, exitCode: 130, signal: null, pid: stage });
    expect(readFileSync(`${job.controlPrefix}.exit`, 'utf8')).toBe('386\n');
    expect(readFileSync(job.logFile, 'utf8')).toContain('hf_not_a_real_token');
  });

  it('outlives a controller that is killed: the stage runs on and its end is recorded for the next controller', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'loop-launcher-'));
    folders.push(dir);
    const prefix = join(dir, 'attempt-1');
    const script = join(dir, 'controller.mts');
    writeFileSync(
      script,
      `import { createLocalExecutor } from ${JSON.stringify(join(root, 'src/executors/local/run-local.ts'))};\n` +
        `await createLocalExecutor().run({ argv: ['/bin/sh', '-c', 'sleep 1; exit 7'], cwd: ${JSON.stringify(dir)}, env: {}, ` +
        `logFile: ${JSON.stringify(join(dir, 'log.txt'))}, controlPrefix: ${JSON.stringify(prefix)} });\n`,
    );
    const controller = spawn(process.execPath, ['--import', 'tsx', script], { cwd: root, stdio: 'ignore' });
    const stage = await startedStage({ argv: [], cwd: dir, env: {}, logFile: '', controlPrefix: prefix });
    const launcher = parentOf(stage);
    controller.kill('SIGKILL');
    await waitFor(() => controller.exitCode !== null || controller.signalCode !== null);
    expect(isGone(launcher)).toBe(false);
    await waitFor(() => existsSync(`${prefix}.exit`));
    expect(readFileSync(`${prefix}.exit`, 'utf8')).toBe('7\n');
    // Its stages recorded and its controller gone, the launcher exits.
    await waitFor(() => isGone(launcher));
  });

  it('a stage whose launcher was killed runs on; it is followed to its end, reported unrecorded, and the next starts anew', async () => {
    const executor = createLocalExecutor({ launcher: createStageLauncher() });
    const job = wrappedJob(['/bin/sh', '-c', 'sleep 1; exit 3']);
    const running = executor.run(job);
    const stage = await startedStage(job);
    const launcher = parentOf(stage);
    process.kill(launcher, 'SIGKILL');
    const result = await running;
    expect(isGone(stage)).toBe(true);
    expect(result).toMatchObject({ ok: false, exitCode: null, signal: null, pid: stage, error: UNRECORDED_EXIT });
    expect(readFileSync(`${job.controlPrefix}.starts`, 'utf8').trim().split('\n')).toHaveLength(1);

    const next = wrappedJob(['/bin/sh', '-c', 'exit 0']);
    expect(await executor.run(next)).toMatchObject({ ok: true, exitCode: 0 });
    const nextStage = Number(readFileSync(`${next.controlPrefix}.starts`, 'utf8').trim().split(' ')[0]);
    expect(nextStage).not.toBe(stage);
    expect(readFileSync(`${next.controlPrefix}.starts`, 'utf8').trim().split(' ')[2]).not.toBe(String(launcher));
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
