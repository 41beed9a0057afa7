import { closeSync, existsSync, openSync } from 'node:fs';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sleep } from '../../time/sleep.ts';
import type { CliIO } from '../io.ts';
import type { RunPaths } from '../../run-folder/run-paths.ts';
import { LoopError } from '../../errors/loop-error.ts';

const BIN = fileURLToPath(new URL('../../../bin/loop.mjs', import.meta.url));

// Starts the run's controller as a background process (`loop resume NAME`), its output in controller.log, and
// returns once it has written the run's state, so `loop status` and `loop pause` work right away.
export async function detachController(home: string, name: string, paths: RunPaths, io: CliIO): Promise<number> {
  const logFile = path.join(paths.root, 'controller.log');
  const fd = openSync(logFile, 'a');
  const stateBefore = existsSync(paths.state);
  const child = spawn(process.execPath, [BIN, 'resume', name, '--home', home], {
    cwd: io.cwd,
    detached: true,
    stdio: ['ignore', fd, fd],
    env: { ...io.env, NO_COLOR: '1' },
  });
  closeSync(fd);
  child.unref();
  let exited: number | null = null;
  child.on('exit', (code) => (exited = code ?? 1));
  for (let waited = 0; waited < 30_000; waited += 50) {
    if (exited !== null) {
      throw new LoopError('E_DETACH', `the background controller exited at once (code ${exited}); see ${logFile}`);
    }
    if (!stateBefore && existsSync(paths.state)) break;
    if (stateBefore && waited >= 500) break;
    await sleep(50);
  }
  io.print(`run ${name} continues in the background (controller pid ${child.pid}); log: ${logFile}`);
  io.print(`follow it with \`loop status ${name}\` or \`loop log ${name}\`; \`loop pause ${name}\` pauses it`);
  return 0;
}
