import { appendFileSync, closeSync, fstatSync, openSync, readSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import type { Executor, StageExecution, StageJob } from '../../executor.ts';
import { notStarted } from '../../common/to-stage-execution.ts';
import { validateJob } from '../../common/validate-job.ts';
import { runCommand, type CommandRunner } from '../../common/command-runner.ts';
import { sleep as wait } from '../../../time/sleep.ts';
import { nextInterval } from '../../../time/backoff.ts';
import { retry } from '../../../time/retry.ts';
import { shellQuote } from '../../common/shell-quote.ts';
import { chooseCopier } from './choose-copier.ts';
import type { Copier, CopyResult } from './copier.ts';
import { hostTarget } from './host-target.ts';
import { isBuiltinCommand } from './is-builtin-command.ts';
import { pullLog, readOffset } from './pull-log.ts';
import { putFiles } from './put-files.ts';
import { createRemoteShell, type RemoteShell } from './remote-shell.ts';
import { manifestCommand, parseManifest } from './remote-manifest.ts';
import { remotePath, rewritePaths } from './remote-path.ts';
import { remoteFiles, transferPlan, type TransferPlan } from './transfer-plan.ts';
import { verifyCopy } from './verify-copy.ts';
import { wrapExecutor } from '../wrap-executor.ts';

// What the transfer layer needs from outside, injectable for tests.
export interface TransferDeps {
  /** Runs built-in kinds (`loop data …`) on the controller: they need this checkout. */
  local: Executor;
  runner?: CommandRunner;
  /** Forces a copier (tests); by default rsync when both ends have it, else tar. */
  prefer?: 'rsync' | 'tar';
  /** Wraps the chosen copier: tests inject faults into a real copy. */
  wrapCopier?: (copier: Copier) => Copier;
  now?: () => Date;
  sleep?: (ms: number) => Promise<void>;
  /** First interval between pulls of the host's log (doubling to 10 s). */
  logPollMs?: number;
  /** Tries per copy before the attempt fails (network blips). */
  copyTries?: number;
}

// One attempt on a host without a shared filesystem: where everything is, and how to reach it.
interface Session {
  plan: TransferPlan;
  shell: RemoteShell;
  copier: Copier;
  files: ReturnType<typeof remoteFiles>;
  /** The job as the host sees it: paths rewritten to their copies, the wrapper's files there. */
  remoteJob: StageJob;
  log: (line: string) => void;
}

// Wraps a remote executor (ssh, slurm, ray) so that with `shared_filesystem: false` an attempt's inputs go to the host
// before it starts and its outputs come back, checked, after it ends; with a shared filesystem it changes nothing.
export function withTransfer(inner: Executor, deps: TransferDeps): Executor {
  const runner = deps.runner ?? runCommand;
  const now = deps.now ?? (() => new Date());
  const sleep = deps.sleep ?? ((ms: number) => wait(ms));
  const copiers = new Map<string, Promise<Copier>>();

  // The session of one attempt, or why it cannot have one (a recipe that does not say where to copy).
  const open = async (job: StageJob): Promise<Session | { error: string }> => {
    const spec = job.executor;
    if (!spec || spec.kind === 'local') throw new TypeError('a job on a host without a shared filesystem needs a remote job.executor');
    const host = hostTarget(spec);
    if ('error' in host) return host;
    const shell = createRemoteShell(host.target, runner);
    const key = `${shell.destination}:${host.target.port ?? ''}:${host.workdir}`;
    if (!copiers.has(key)) copiers.set(key, chooseCopier(shell, host.workdir, deps.prefer));
    const chosen = await copiers.get(key)!;
    const copier = deps.wrapCopier ? deps.wrapCopier(chosen) : chosen;
    const plan = transferPlan(job, host.workdir);
    const files = remoteFiles(plan);
    const rewrite = (text: string) => rewritePaths(text, plan.roots, plan.workdir);
    const cwd = remotePath(plan.workdir, job.cwd);
    const remoteJob: StageJob = {
      ...job,
      argv: job.argv.map(rewrite),
      env: Object.fromEntries(Object.entries(job.env).map(([key, value]) => [key, rewrite(value)])),
      cwd,
      remote: {
        prefix: files.prefix,
        logFile: files.logFile,
        cwd,
        pullAttemptFiles: () => pullAttemptFiles(shell, files.prefix, plan.prefix),
        put: (list) => putFiles(shell, list),
        remove: async (list) => {
          await shell.run(`rm -f ${list.map(shellQuote).join(' ')}`).catch(() => undefined);
        },
      },
    };
    return { plan, shell, copier, files, remoteJob, log: (line) => appendFileSync(job.logFile, `=== loop: ${line}\n`) };
  };

  // A copy tried a few times (a dropped connection is common), the last failure's sentence kept.
  const tried = (copy: () => Promise<CopyResult>): Promise<CopyResult> =>
    retry(() => copy().catch((error: unknown) => ({ ok: false as const, error: (error as Error).message })), {
      tries: deps.copyTries ?? 3,
      delay: { firstMs: 2000, factor: 4 },
      sleep: (ms) => sleep(ms),
      retryResult: (result) => !result.ok,
    });

  // Runs the inner executor while the host's log is pulled into log.txt (the rest comes with the end report).
  const logging = async <T>(s: Session, job: StageJob, work: () => Promise<T>): Promise<T> => {
    const stop = new AbortController();
    const pull = () => pullLog(s.shell, s.files.logFile, job.logFile, s.plan.prefix).catch(() => undefined);
    const poller = (async () => {
      for (let ms = deps.logPollMs ?? 2000; !stop.signal.aborted; ms = nextInterval(ms, { maxMs: 10_000 })) {
        await wait(ms, stop.signal);
        if (!stop.signal.aborted) await pull();
      }
    })();
    try {
      return await work();
    } finally {
      stop.abort();
      await poller;
    }
  };

  // After the attempt ended on the host, in one ssh call: the rest of its log, its wrapper files and its output
  // folder's manifest; then (when it succeeded) the output folder, copied into a staging folder, checked against the
  // manifest's sizes and hashes, and only then put in place of {{ out }}.
  const collect = async (s: Session, job: StageJob, execution: StageExecution): Promise<StageExecution> => {
    const report = await endReport(s, job).catch(() => undefined);
    if (!execution.ok) return execution;
    s.log(`copying the outputs back from ${s.shell.destination} (${s.copier.tool})`);
    let listed = report?.manifest;
    const copied = await tried(async () => {
      const result = await fetchOutputs(s, listed);
      listed = undefined;
      return result;
    });
    if (!copied.ok) {
      return {
        ...execution,
        ok: false,
        error:
          `the stage ended well on ${s.shell.destination} but copying its outputs back failed: ${copied.error}; ` +
          'nothing was accepted (a retry or `loop resume` runs the attempt again)',
      };
    }
    s.log('outputs copied back and checked (sizes, sha256 up to 16 MiB)');
    return execution;
  };

  // Job arrays (Slurm) pass through unchanged: sharded stages need a shared filesystem (check-executors refuses the rest).
  return wrapExecutor(inner, {
    async run(next, job) {
      if (!copied(job)) return next(job);
      if (isBuiltinCommand(job.argv)) {
        appendFileSync(job.logFile, '=== loop: built-in kind: runs on the controller (the host has no shared filesystem)\n');
        return deps.local.run(job);
      }
      validateJob(job);
      const startedAt = now();
      const s = await open(job);
      if ('error' in s) return notStarted({ error: s.error }, startedAt, now(), 0);
      s.log(`sending the inputs to ${s.shell.destination}:${s.plan.workdir} (${s.copier.tool})`);
      const sent = await tried(() => sendInputs(s));
      if (!sent.ok) {
        const error = `could not copy the stage's inputs to ${s.shell.destination}: ${sent.error}; nothing ran there`;
        return notStarted({ error }, startedAt, now(), 0);
      }
      const execution = await logging(s, job, () => next(s.remoteJob));
      return collect(s, job, execution);
    },
    async reattach(next, job, startedAt) {
      if (!copied(job)) return next(job, startedAt);
      if (isBuiltinCommand(job.argv)) return deps.local.reattach?.(job, startedAt);
      const s = await open(job);
      if ('error' in s) return undefined;
      const execution = await logging(s, job, () => next(s.remoteJob, startedAt));
      return execution === undefined ? undefined : collect(s, job, execution);
    },
  });
}

// Whether this job runs on a host without a shared filesystem.
function copied(job: StageJob): boolean {
  return job.executor !== undefined && job.executor.kind !== 'local' && !job.executor.sharedFilesystem;
}

// Before a fresh attempt: an empty output folder and no earlier attempt's exit file or log on the host, then the
// recipe folder, the named inputs and the earlier outputs the command reads, in one copy.
async function sendInputs(s: Session): Promise<CopyResult> {
  const { files, plan } = s;
  const prepare =
    `mkdir -p ${shellQuote(files.stageDir)} && rm -rf ${shellQuote(files.out)} && mkdir -p ${shellQuote(files.out)} && ` +
    `rm -f ${shellQuote(`${files.prefix}.exit`)} ${shellQuote(files.logFile)}`;
  rmSync(`${plan.prefix}.log-offset`, { force: true });
  rmSync(`${plan.prefix}.incoming`, { recursive: true, force: true });
  return s.copier.push([plan.recipeDir, ...plan.inputs, ...plan.outputs], plan.excludes, prepare);
}

// The host's output folder into PREFIX.incoming (kept between tries, so rsync resumes it), checked against the
// host's manifest, then renamed to {{ out }}: a partial copy is never seen there.
async function fetchOutputs(s: Session, listed?: string): Promise<CopyResult> {
  if (listed === undefined) {
    const result = await s.shell.run(manifestCommand(s.files.out));
    if (result.exitCode !== 0)
      return { ok: false, error: `cannot list ${s.files.out} on the host: ${result.stderr.trim() || `exit code ${result.exitCode}`}` };
    listed = result.stdout;
  }
  const manifest = parseManifest(listed);
  const staging = `${s.plan.prefix}.incoming`;
  const pulled = await s.copier.pull(s.files.out, staging);
  if (!pulled.ok) return pulled;
  const problem = await verifyCopy(manifest, staging);
  if (problem) return { ok: false, error: `the copy does not match the host's files: ${problem}` };
  rmSync(s.plan.out, { recursive: true, force: true });
  renameSync(staging, s.plan.out);
  return { ok: true };
}

// The host's PREFIX.starts and PREFIX.exit, written to the controller's prefix (the stage folder's records).
async function pullAttemptFiles(shell: RemoteShell, remotePrefix: string, localPrefix: string): Promise<void> {
  const q = shellQuote(remotePrefix);
  const read = await shell.run(`cat ${q}.starts 2>/dev/null; echo ::exit; cat ${q}.exit 2>/dev/null; true`);
  if (read.exitCode !== 0) return;
  const [starts = '', exit = ''] = read.stdout.split('::exit\n');
  if (starts.trim()) writeFileSync(`${localPrefix}.starts`, starts);
  if (exit.trim()) writeFileSync(`${localPrefix}.exit`, exit);
}

// The end of an attempt as the host saw it, read in one ssh call: the log's unread bytes are appended to log.txt
// (ending with a newline, so loop's own notes start a line), PREFIX.starts and PREFIX.exit are written to the
// controller's prefix, and the output folder's manifest is returned for the copy's check.
async function endReport(s: Session, job: StageJob): Promise<{ manifest: string | undefined }> {
  const offsetFile = `${s.plan.prefix}.log-offset`;
  const offset = readOffset(offsetFile);
  const q = shellQuote(s.files.prefix);
  const bytes = await s.shell.bytes(
    [
      `cat ${q}.starts 2>/dev/null; echo ${EXIT}; cat ${q}.exit 2>/dev/null; echo; echo ${MANIFEST}`,
      `( ${manifestCommand(s.files.out)} ) || echo ${UNLISTED}`,
      `echo ${LOG}; tail -c +${offset + 1} ${shellQuote(s.files.logFile)} 2>/dev/null; true`,
    ].join('\n'),
  );
  if (!bytes) return { manifest: undefined };
  const at = bytes.indexOf(`${LOG}\n`);
  const text = bytes.subarray(0, at < 0 ? bytes.length : at).toString('utf8');
  const log = at < 0 ? Buffer.alloc(0) : bytes.subarray(at + LOG.length + 1);
  if (log.length > 0) {
    appendFileSync(job.logFile, log);
    writeFileSync(offsetFile, String(offset + log.length));
  }
  if (offset + log.length > 0 && lastByte(job.logFile) !== 0x0a) appendFileSync(job.logFile, '\n');
  const [starts = '', rest = ''] = text.split(`${EXIT}\n`);
  const [exit = '', listed = ''] = rest.split(`${MANIFEST}\n`);
  if (starts.trim()) writeFileSync(`${s.plan.prefix}.starts`, starts);
  if (exit.trim()) writeFileSync(`${s.plan.prefix}.exit`, `${exit.trim()}\n`);
  return { manifest: listed.includes(UNLISTED) ? undefined : listed };
}

const EXIT = '::loop-exit';
const MANIFEST = '::loop-manifest';
const UNLISTED = '::loop-unlisted';
const LOG = '::loop-log';

// The last byte of a file (undefined when empty or missing).
function lastByte(file: string): number | undefined {
  try {
    const fd = openSync(file, 'r');
    try {
      const size = fstatSync(fd).size;
      if (size === 0) return undefined;
      const buffer = Buffer.alloc(1);
      readSync(fd, buffer, 0, 1, size - 1);
      return buffer[0];
    } finally {
      closeSync(fd);
    }
  } catch {
    return undefined;
  }
}
