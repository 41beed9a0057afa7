import type { Backend } from '../backend.ts';
import { findProgram } from '../common/find-program.ts';
import { createSshExecutor } from './run-ssh.ts';

// Stages on one host reached with the system ssh client.
export const sshBackend: Backend = {
  kind: 'ssh',
  remote: true,
  create: createSshExecutor,
  whyUnavailable: (_spec, pathVariable) =>
    findProgram('ssh', '/', pathVariable).error
      ? "the ssh client is not on PATH; install OpenSSH's client (Debian: openssh-client)"
      : undefined,
};
