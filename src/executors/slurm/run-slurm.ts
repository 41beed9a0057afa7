import { mkdirSync, readFileSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Executor, StageExecution, StageJob } from '../executor.ts';
import { notStarted } from '../local/to-stage-execution.ts';
import { validateJob } from '../local/validate-job.ts';
import { runCommand, type CommandRunner } from '../remote/command-runner.ts';
import { overSsh, parseLoginHost } from '../remote/over-ssh.ts';
import { batchScript } from './batch-script.ts';
import { createSlurmClient, type SlurmClient } from './slurm-client.ts';
import { followJob, type FollowOptions } from './follow-job.ts';
import { isActiveState } from './slurm-states.ts';
import type { ExecutorSpec } from '../../recipe/types.ts';

type SlurmSpec = Extract<ExecutorSpec, { kind: 'slurm' }>;

// What the Slurm executor needs from outside, injectable for tests: the command runner and the poll timing.
export interface SlurmExecutorDeps {
  runner?: CommandRunner;
  now?: () => Date;
  firstPollMs?: number;
  maxPollMs?: number;
}

// Runs each stage attempt as one Slurm batch job (the controller stays on the login node and only polls), assuming
// the cluster's nodes see the run folder (a shared filesystem).
export function createSlurmExecutor(deps: SlurmExecutorDeps = {}): Executor {
  const runner = deps.runner ?? runCommand;
  const options: FollowOptions = { firstPollMs: deps.firstPollMs ?? 250, maxPollMs: deps.maxPollMs ?? 5000, now: deps.now ?? (() => new Date()) };
  const clientFor = (spec: SlurmSpec): SlurmClient =>
    createSlurmClient(spec.loginHost ? overSsh(parseLoginHost(spec.loginHost), runner) : runner);
  return {
    kind: 'slurm',
    run: (job) => runSlurm(job, clientFor(specOf(job)), options),
    reattach: (job, startedAt) => reattachSlurm(job, startedAt, clientFor(specOf(job)), options),
  };
}

// One attempt: write the batch script into the stage folder, adopt a live job of the same name if one exists
// (submitted by a controller that died before recording it), else submit it; then follow it to its end.
async function runSlurm(job: StageJob, client: SlurmClient, options: FollowOptions): Promise<StageExecution> {
  validateJob(job);
  const startedAt = options.now();
  const { prefix, name } = identity(job);
  if (job.signal?.aborted) return notStarted({ error: 'canceled before start', canceled: true }, startedAt, options.now(), 0);
  const script = batchScript(job, specOf(job), name, prefix);
  mkdirSync(dirname(job.logFile), { recursive: true });
  writeFileSync(`${prefix}.sbatch`, script);
  rmSync(`${prefix}.jobid`, { force: true });
  const live = (await client.findByName(name)).filter((found) => isActiveState(found.state)).at(-1);
  let id = live?.id;
  if (id === undefined) {
    const submitted = await client.submit(script);
    if ('error' in submitted) return notStarted({ error: submitted.error }, startedAt, options.now(), 0);
    id = submitted.id;
  } else {
    appendFileSync(job.logFile, `=== loop: found Slurm job ${id} (${name}) already submitted; following it\n`);
  }
  writeFileSync(`${prefix}.jobid`, `${id}\n`);
  return followJob(client, id, job, prefix, startedAt.toISOString(), options);
}

// After a controller restart: the job recorded in PREFIX.jobid, else the newest job of the attempt's name (the
// controller died between sbatch and writing the id), followed to its end; undefined when none was submitted.
async function reattachSlurm(
  job: StageJob,
  startedAt: string,
  client: SlurmClient,
  options: FollowOptions,
): Promise<StageExecution | undefined> {
  const { prefix, name } = identity(job);
  const recorded = readJobId(prefix);
  const id = recorded ?? (await client.findByName(name)).at(-1)?.id;
  if (id === undefined) return undefined;
  if (recorded === undefined) {
    mkdirSync(dirname(prefix), { recursive: true });
    writeFileSync(`${prefix}.jobid`, `${id}\n`);
  }
  return followJob(client, id, job, prefix, startedAt, options);
}

function readJobId(prefix: string): string | undefined {
  try {
    const id = readFileSync(`${prefix}.jobid`, 'utf8').trim();
    return /^\d+$/.test(id) ? id : undefined;
  } catch {
    return undefined;
  }
}

function specOf(job: StageJob): SlurmSpec {
  if (job.executor?.kind !== 'slurm') throw new TypeError('a Slurm job needs job.executor of kind slurm');
  return job.executor;
}

function identity(job: StageJob): { prefix: string; name: string } {
  if (!job.controlPrefix || !job.jobName) throw new TypeError('a Slurm job needs job.controlPrefix and job.jobName');
  return { prefix: job.controlPrefix, name: job.jobName };
}
