import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { StageJob } from '../../../src/executors/executor.ts';
import type { CommandRunner } from '../../../src/executors/common/command-runner.ts';
import { forwardedSecrets } from '../../../src/executors/common/forwarded-secrets.ts';
import { createSshExecutor } from '../../../src/executors/ssh/run-ssh.ts';
import { describeWith } from '../../support/optional-dependency.ts';
import { sshdAvailable, sshTarget } from '../../support/sshd.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'loop-secrets-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const SECRET = `hf_${process.pid}'s "secret" $(touch pwned)`;
const sha = (text: string) => createHash('sha256').update(text).digest('hex');
// The stage prints the hash of HF_TOKEN and WANDB_API_KEY as it sees them, and whether a variable left off the
// allow-list reached it, after a moment in which the test looks at every command line on the machine.
const STAGE = [
  'node',
  '-e',
  "const h = (v) => require('crypto').createHash('sha256').update(v ?? '').digest('hex');" +
    'setTimeout(() => console.log(JSON.stringify([h(process.env.HF_TOKEN), h(process.env.WANDB_API_KEY), process.env.NOT_A_SECRET ?? ' +
    'null])), 1500)',
];
let counter = 0;

function sshJob(spec: { host: string; port?: number; identityFile?: string; options?: string[] }): StageJob {
  const stageDir = path.join(dir, `stage-${++counter}`);
  return {
    argv: STAGE,
    cwd: dir,
    env: { LOOP_STAGE: 'test' },
    logFile: path.join(stageDir, 'log.txt'),
    controlPrefix: path.join(stageDir, 'attempt-1'),
    graceSeconds: 2,
    executor: { kind: 'ssh', ...spec, options: spec.options ?? [], setup: [], sharedFilesystem: true },
  };
}

const env = { HF_TOKEN: SECRET, WANDB_API_KEY: 'wandb-key', NOT_A_SECRET: 'kept home', PATH: process.env.PATH };

// Every file under a folder whose content holds `text`, besides the log (where a stage may print what it likes).
function filesHolding(folder: string, text: string): string[] {
  return readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name !== 'log.txt')
    .map((entry) => path.join(entry.parentPath, entry.name))
    .filter((file) => readFileSync(file, 'utf8').includes(text));
}

// What the stage printed: the hashes it saw and the variable that should not have come.
const seen = (job: StageJob) => JSON.parse(readFileSync(job.logFile, 'utf8').trim().split('\n').at(-1)!) as [string, string, string | null];

describe('secrets forwarded to SSH hosts', () => {
  it('lists only the allow-listed variables that are set, LOOP_FORWARD_ENV adding names, as quoted export lines', () => {
    expect(forwardedSecrets({ HF_TOKEN: 'a b', OTHER: 'x', EMPTY_ONE: '', WANDB_API_KEY: '' })).toBe("export HF_TOKEN='a b'\n");
    expect(forwardedSecrets({ MY_KEY: 'k', LOOP_FORWARD_ENV: 'MY_KEY, BAD-NAME' })).toBe('export MY_KEY=k\n');
  });

  it("hands them to the stage on the launch command's standard input, never in its arguments (host simulated by sh)", async () => {
    const calls: Array<{ argv: string[]; input?: string }> = [];
    // The "host" is a local sh running the remote command, so no sshd is needed here.
    const runner: CommandRunner = async (argv, options = {}) => {
      calls.push({ argv, input: options.input });
      const result = spawnSync('sh', ['-c', argv.at(-1)!], { input: options.input ?? '', encoding: 'utf8' });
      return { exitCode: result.status ?? 255, stdout: result.stdout, stderr: result.stderr };
    };
    const job = sshJob({ host: 'gpu1' });
    const result = await createSshExecutor({ runner, env }).run(job);
    expect(result).toMatchObject({ ok: true, exitCode: 0 });
    expect(seen(job)).toEqual([sha(SECRET), sha('wandb-key'), null]);
    expect(calls.some((call) => call.argv.join(' ').includes('hf_'))).toBe(false);
    expect(calls[0]!.input).toContain('export HF_TOKEN=');
    expect(calls.slice(1).every((call) => call.input === undefined)).toBe(true);
    expect(filesHolding(path.dirname(job.logFile), 'hf_')).toEqual([]);
  });
});

describeWith('secrets forwarded through a real sshd on 127.0.0.1', sshdAvailable(), () => {
  it('the stage on the host sees HF_TOKEN and WANDB_API_KEY; no command line and no file there holds them', {
    timeout: 90_000,
  }, async () => {
    const job = sshJob(sshTarget());
    const pending = createSshExecutor({ env }).run(job);
    // While the stage runs (on this same machine), no process's command line carries the token.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const commandLines = spawnSync('ps', ['-eo', 'args'], { encoding: 'utf8' }).stdout;
    const result = await pending;
    expect(result).toMatchObject({ ok: true, exitCode: 0 });
    expect(commandLines).not.toContain(`hf_${process.pid}`);
    expect(seen(job)).toEqual([sha(SECRET), sha('wandb-key'), null]);
    expect(filesHolding(path.dirname(job.logFile), `hf_${process.pid}`)).toEqual([]);
  });
});
