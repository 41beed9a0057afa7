import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

// Where .ci/setup/sshd.sh keeps the client key, known_hosts and port of its sshd on 127.0.0.1.
const STATE = '/var/lib/loop-ci-sshd';

export interface TestSshTarget {
  host: string;
  port: number;
  identityFile: string;
  options: string[];
}

// The test sshd as ssh options, when it is set up.
export function sshTarget(): TestSshTarget {
  return {
    host: '127.0.0.1',
    port: existsSync(`${STATE}/port`) ? Number(readFileSync(`${STATE}/port`, 'utf8').trim()) : 22022,
    identityFile: `${STATE}/client_key`,
    options: [`UserKnownHostsFile=${STATE}/known_hosts`],
  };
}

// Whether the test sshd accepts a login, or why not.
export function sshdAvailable(): true | string {
  if (!existsSync(`${STATE}/client_key`)) return 'the test sshd is not set up; run .ci/setup/sshd.sh start';
  const t = sshTarget();
  const result = spawnSync(
    'ssh',
    ['-o', 'BatchMode=yes', '-o', `UserKnownHostsFile=${STATE}/known_hosts`, '-i', t.identityFile, '-p', String(t.port), t.host, 'true'],
    {
      encoding: 'utf8',
      timeout: 30_000,
    },
  );
  return result.status === 0 ? true : `cannot log in to the test sshd on 127.0.0.1:${t.port}: ${result.stderr?.trim()}`;
}

// The `--set` overrides that move a recipe onto the test sshd.
export function sshOverrides(): string[] {
  const t = sshTarget();
  return [
    'executor.kind=ssh',
    `executor.host=${t.host}`,
    `executor.port=${t.port}`,
    `executor.identity_file=${t.identityFile}`,
    `executor.options=[${t.options.join(', ')}]`,
  ].flatMap((s) => ['--set', s]);
}
