// A small Node process that starts local stage processes for the controller and records how they end. Forking
// costs time in proportion to the forking process's memory, and the controller (XState, the store, the recipe
// schema) is several times larger than this plain script; and a stage started from here needs no wrapper process of
// its own: this process is its parent, so it sees the exact wait status (an exit code above 128 apart from a
// signal) and records it. At thousands of short stages those two process starts were most of loop's own cost per
// stage (docs/performance.md).
//
// It outlives the controller: it runs in a session of its own (started detached), ignores SIGTERM, SIGINT and SIGHUP
// (a stage's process group gets them, not this process), and once the controller is gone it stays until every stage
// it started has ended and been recorded. For an attempt (a request with a prefix) it leaves what the stage wrapper
// leaves (docs/run-directory.md): right after the start, one line appended to PREFIX.starts,
// "PID START LAUNCHER_PID LAUNCHER_START" (START: the process's start time in /proc, so a reused pid is never taken
// for the stage); when the stage ends, PREFIX.exit with its exit code, 128+N for signal N, or 256+C for an exit code C
// above 128. Plain JavaScript, loaded without tsx, so it stays small. Protocol: JSON lines.
//   in:  {"id":1,"file":"/bin/sh","args":[…],"cwd":"…","env":{…},"log":"…/log.txt","prefix":"…/attempt-1"}
//   out: {"id":1,"pid":123} or {"id":1,"error":{"code":"ENOENT","message":"…"}}, later {"id":1,"exitCode":0,"signal":null}
import { spawn } from 'node:child_process';
import { appendFileSync, closeSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { constants } from 'node:os';
import { createInterface } from 'node:readline';

for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP']) process.on(signal, () => undefined);

let connected = true;
let inputClosed = false;
let running = 0;
const send = (message) => {
  if (connected) process.stdout.write(`${JSON.stringify(message)}\n`);
};
process.stdout.on('error', () => {
  connected = false;
});
const exitWhenDone = () => {
  if (inputClosed && running === 0) process.exit(0);
};

// A process's start time from /proc (clock ticks since boot), "?" where /proc cannot tell: the field readProcStat
// (src/process/proc-stat.ts) reads for the controller, read here again because this plain script loads no TypeScript.
const startTime = (pid) => {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return text.slice(text.lastIndexOf(')') + 2).split(' ')[19] ?? '?';
  } catch {
    return '?';
  }
};
const self = `${process.pid} ${startTime(process.pid)}`;

// The status as the wrapper records it (decodeExitStatus in attempt-files.ts reads it back).
const encode = (exitCode, signal) => {
  if (signal) return 128 + (constants.signals[signal] ?? 0);
  return exitCode > 128 ? 256 + exitCode : exitCode;
};

// Appends the start line; false (the process then killed, never left unrecorded: a crashed controller could not
// follow it) when it cannot be written.
const recordStart = (id, prefix, pid) => {
  try {
    appendFileSync(`${prefix}.starts`, `${pid} ${startTime(pid)} ${self}\n`);
    return true;
  } catch (error) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {} // ended already
    send({ id, error: { code: error.code, message: `cannot record the start in ${prefix}.starts: ${error.message}` } });
    return false;
  }
};

const start = ({ id, file, args, cwd, env, log, prefix }) => {
  let fd;
  try {
    fd = openSync(log, 'a');
    const child = spawn(file, args, { cwd, env, detached: true, stdio: ['ignore', fd, fd] });
    child.once('error', (error) => {
      if (child.pid === undefined) send({ id, error: { code: error.code, message: error.message } });
    });
    if (child.pid === undefined) return;
    running += 1;
    const recorded = prefix !== undefined && recordStart(id, prefix, child.pid);
    child.once('exit', (exitCode, signal) => {
      running -= 1;
      if (recorded) {
        try {
          writeFileSync(`${prefix}.exit`, `${encode(exitCode, signal)}\n`);
        } catch {}
      }
      send({ id, exitCode, signal });
      exitWhenDone();
    });
    if (recorded || prefix === undefined) send({ id, pid: child.pid });
  } catch (error) {
    send({ id, error: { code: error.code, message: error.message } });
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
};

createInterface({ input: process.stdin })
  .on('line', (line) => start(JSON.parse(line)))
  .on('close', () => {
    inputClosed = true;
    exitWhenDone();
  });
