import type { CommandRunner } from './command-runner.ts';
import { shellCommand } from './shell-quote.ts';
import { sshArgs, type SshTarget } from './ssh-args.ts';

// A runner whose commands run on another host (a cluster's login node) through the system ssh.
export function overSsh(target: SshTarget, runner: CommandRunner): CommandRunner {
  return (argv, options) => runner(sshArgs(target, shellCommand(argv)), options);
}

// `login_host` as a recipe writes it: "host", "user@host" or "user@host:port".
export function parseLoginHost(text: string): SshTarget {
  const match = /^(?:([^@]+)@)?([^:]+)(?::(\d+))?$/.exec(text);
  if (!match) return { host: text };
  return { host: match[2]!, ...(match[1] ? { user: match[1] } : {}), ...(match[3] ? { port: Number(match[3]) } : {}) };
}
