// A small Node process that starts local stage processes for the controller. Forking costs time in proportion to
// the forking process's memory, and the controller (TypeScript through tsx, XState, the store) is several times
// larger than this plain script: at thousands of short stages that difference was most of loop's own cost per
// stage. It only starts processes and reports their exit; what a stage's wrapper records stays the outcome, and the
// stages are detached, so nothing is lost when this process or the controller dies. Plain JavaScript, loaded
// without tsx, so it stays small. Protocol: JSON lines.
//   in:  {"id":1,"file":"/bin/sh","args":[…],"cwd":"…","env":{…},"log":"…/log.txt"}
//   out: {"id":1,"pid":123} or {"id":1,"error":{"code":"ENOENT","message":"…"}}, later {"id":1,"exitCode":0,"signal":null}
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { createInterface } from 'node:readline';

const send = (message) => process.stdout.write(`${JSON.stringify(message)}\n`);
process.stdout.on('error', () => process.exit(0));

createInterface({ input: process.stdin })
  .on('line', (line) => {
    const { id, file, args, cwd, env, log } = JSON.parse(line);
    let fd;
    try {
      fd = openSync(log, 'a');
      const child = spawn(file, args, { cwd, env, detached: true, stdio: ['ignore', fd, fd] });
      child.once('error', (error) => {
        if (child.pid === undefined) send({ id, error: { code: error.code, message: error.message } });
      });
      child.once('exit', (exitCode, signal) => send({ id, exitCode, signal }));
      if (child.pid !== undefined) send({ id, pid: child.pid });
    } catch (error) {
      send({ id, error: { code: error.code, message: error.message } });
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  })
  .on('close', () => process.exit(0));
