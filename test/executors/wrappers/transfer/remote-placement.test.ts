import { describe, expect, it } from 'vitest';
import { batchScript } from '../../../../src/executors/slurm/batch-script.ts';
import { loginTarget } from '../../../../src/executors/common/login-target.ts';

describe('an attempt placed on a host without a shared filesystem', () => {
  it("the batch script logs, changes directory and records its outcome in the copies, not at the controller's paths", () => {
    const script = batchScript(
      {
        argv: ['python', '/w/work/train.py'],
        cwd: '/work',
        env: {},
        logFile: '/runs/r/log.txt',
        remote: {
          prefix: '/w/runs/r/attempt-1',
          logFile: '/w/runs/r/attempt-1.log',
          cwd: '/w/work',
          pullAttemptFiles: async () => undefined,
          put: async () => ({ ok: true }),
          remove: async () => undefined,
        },
      },
      { kind: 'slurm', sbatchArgs: [], setup: [], sharedFilesystem: false, loginHost: 'login1', workdir: '/w' },
      'loop-r-i1-train_sft-a1-abcd1234',
      '/runs/r/attempt-1',
    );
    expect(script).toContain('#SBATCH --output=/w/runs/r/attempt-1.log\n');
    expect(script).toContain('#SBATCH --chdir=/w/work\n');
    expect(script).toContain('cd /w/work || exit 1\n');
    expect(script).toContain('echo "$$" >> /w/runs/r/attempt-1.starts\n');
    expect(script).toContain('> /w/runs/r/attempt-1.exit\n');
    expect(script).not.toMatch(/ \/runs\/r\//);
  });

  it('reaches the login node with its own ssh options', () => {
    const spec = {
      kind: 'slurm' as const,
      sbatchArgs: [],
      setup: [],
      sharedFilesystem: false,
      loginHost: 'me@login1:2222',
      loginOptions: ['IdentityFile=/k'],
    };
    expect(loginTarget(spec)).toEqual({ host: 'login1', user: 'me', port: 2222, options: ['IdentityFile=/k'] });
  });
});
