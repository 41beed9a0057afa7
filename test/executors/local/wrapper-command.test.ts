import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { wrapperCommand } from '../../../src/executors/local/wrapper-command.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'loop-wrapper-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Runs `script` (sh -c) under the wrapper wrapperCommand picks for a PATH; returns the wrapper's pid and its files.
function wrapped(name: string, script: string, pathVariable: string) {
  const prefix = path.join(dir, name);
  const [file, args] = wrapperCommand(prefix, ['/bin/sh', '-c', script], pathVariable);
  const run = spawnSync(file, args, { encoding: 'utf8' });
  return {
    file,
    pid: run.pid,
    status: run.status,
    starts: readFileSync(`${prefix}.starts`, 'utf8'),
    exit: readFileSync(`${prefix}.exit`, 'utf8'),
  };
}

describe('the local stage wrapper', () => {
  it('is Perl where the stage PATH has it: one process, its pid in .starts, a signal told from exit 128+N', () => {
    const exited = wrapped('exit', 'exit 130', '/usr/local/bin:/usr/bin:/bin');
    expect(path.basename(exited.file)).toBe('perl');
    expect(exited.starts).toBe(`${exited.pid}\n`);
    expect(exited.status).toBe(130);
    expect(exited.exit).toBe('386\n'); // 256 + 130: an exit code the program chose
    const killed = wrapped('signal', 'kill -INT $$', '/usr/local/bin:/usr/bin:/bin');
    expect(killed.exit).toBe('130\n'); // 128 + SIGINT
  });

  it('is the shell where the stage PATH has no Perl, with the same files', () => {
    const run = wrapped('shell', 'exit 3', '/nonexistent');
    expect(run.file).toBe('/bin/sh');
    expect(run.starts).toBe(`${run.pid}\n`);
    expect(run.status).toBe(3);
    expect(run.exit).toBe('3\n');
  });
});
