import { tmpdir } from 'node:os';
import path from 'node:path';

export interface SshTarget {
  host: string;
  user?: string;
  port?: number;
  identityFile?: string;
  /** Extra `-o` options, e.g. "UserKnownHostsFile=/path". */
  options?: string[];
}

// The system ssh's arguments for one remote command, reusing one connection per host (ControlMaster) so that
// polling a stage costs no new handshake, and never prompting (BatchMode).
export function sshArgs(target: SshTarget, remoteCommand: string): string[] {
  return [
    'ssh',
    '-o',
    'BatchMode=yes',
    '-o',
    'ControlMaster=auto',
    '-o',
    `ControlPath=${path.join(tmpdir(), 'loop-ssh-%C')}`,
    '-o',
    'ControlPersist=60',
    '-o',
    'ConnectTimeout=20',
    ...(target.port === undefined ? [] : ['-p', String(target.port)]),
    ...(target.identityFile === undefined ? [] : ['-i', target.identityFile]),
    ...(target.options ?? []).flatMap((option) => ['-o', option]),
    target.user === undefined ? target.host : `${target.user}@${target.host}`,
    '--',
    remoteCommand,
  ];
}
