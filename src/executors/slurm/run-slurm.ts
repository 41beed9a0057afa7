import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ShardedExecutor, StageExecution, StageJob } from '../executor.ts';
import { notStarted } from '../common/to-stage-execution.ts';
import { validateJob } from '../common/validate-job.ts';
import { runCommand, type CommandRunner } from '../common/command-runner.ts';
import { overSsh } from '../common/over-ssh.ts';
import { loginTarget } from '../common/login-target.ts';
import { batchScript } from './batch-script.ts';
import { createSlurmClient, type SlurmClient } from './slurm-client.ts';
import { followJob, type FollowOptions } from './follow-job.ts';
import { isActiveState } from './slurm-states.ts';
import type { ExecutorSpec } from '../../recipe/types.ts';
import { createSlurmArrayClient } from './array-client.ts';
import { runSlurmArray } from './run-slurm-array.ts';

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
export function createSlurmExecutor(deps: SlurmExecutorDeps = {}): ShardedExecutor {
  const runner = deps.runner ?? runCommand;
  const options: FollowOptions = {
    firstPollMs: deps.firstPollMs ?? 250,
    maxPollMs: deps.maxPollMs ?? 5000,
    now: deps.now ?? (() => new Date()),
  };
  // Slurm's commands run here, or on the login node through ssh.
  const commandsFor = (spec: SlurmSpec): CommandRunner =>
    spec.loginHost ? overSsh(loginTarget({ ...spec, loginHost: spec.loginHost }), runner) : runner;
  const clientFor = (spec: SlurmSpec): SlurmClient => createSlurmClient(commandsFor(spec));
  return {
    kind: 'slurm',
    run: (job) => runSlurm(job, clientFor(specOf(job)), options),
    reattach: (job, startedAt) => reattachSlurm(job, startedAt, clientFor(specOf(job)), options),
    // Sharded stages: one job array per attempt (run-slurm-array.ts).
    runShards: (array, shards, run) => {
      const spec = specOf(array);
      const client = createSlurmArrayClient(commandsFor(spec));
      return runSlurmArray(array, shards, spec, client, options, run);
    },
  };
}

// One attempt: write the batch script into the stage folder, note in PREFIX.jobid that a submission is under way,
// adopt a live job of the attempt's name if there is one, else submit; record the id, then follow the job.
async function runSlurm(job: StageJob, client: SlurmClient, options: FollowOptions): Promise<StageExecution> {
  validateJob(job);
  const startedAt = options.now();
  const { prefix, name } = identity(job);
  if (job.signal?.aborted) return notStarted({ error: 'canceled before start', canceled: true }, startedAt, options.now(), 0);
  const script = batchScript(job, specOf(job), name, prefix);
  mkdirSync(dirname(job.logFile), { recursive: true });
  writeFileSync(`${prefix}.sbatch`, script);
  appendFileSync(`${prefix}.jobid`, `${SUBMITTING}\n`);
  const live = (await client.findByName(name)).filter((found) => isActiveState(found.state)).at(-1);
  let id = live?.id;
  if (id === undefined) {
    const submitted = await client.submit(script);
    if ('error' in submitted) return notStarted({ error: submitted.error }, startedAt, options.now(), 0);
    id = submitted.id;
  } else {
    appendFileSync(job.logFile, `=== loop: found Slurm job ${id} (${name}) already submitted; following it\n`);
  }
  appendFileSync(`${prefix}.jobid`, `${id}\n`);
  return followJob(client, id, job, prefix, startedAt.toISOString(), options);
}

// After a controller restart: the job last recorded in PREFIX.jobid; or, when the controller died during a submission
// (the file ends with the marker, or is missing), the newest job of the attempt's name not recorded before, that is
// the one it submitted. Undefined when no job was submitted: the attempt runs again.
async function reattachSlurm(
  job: StageJob,
  startedAt: string,
  client: SlurmClient,
  options: FollowOptions,
): Promise<StageExecution | undefined> {
  const { prefix, name } = identity(job);
  const lines = readJobIds(prefix);
  let id = lines.at(-1);
  if (id === undefined || id === SUBMITTING) {
    id = (await client.findByName(name)).filter((found) => !lines.includes(found.id)).at(-1)?.id;
    if (id === undefined) return undefined;
    mkdirSync(dirname(prefix), { recursive: true });
    appendFileSync(`${prefix}.jobid`, `${id}\n`);
  }
  return followJob(client, id, job, prefix, startedAt, options);
}

// PREFIX.jobid: one line per submission of the attempt ("submitting", then the job id once sbatch answered).
const SUBMITTING = 'submitting';

// The lines of PREFIX.jobid, none when it is missing.
function readJobIds(prefix: string): string[] {
  try {
    return readFileSync(`${prefix}.jobid`, 'utf8')
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean);
  } catch {
    return [];
  }
}

// The Slurm options every Slurm job carries (run-stage passes the stage's executor).
function specOf(job: StageJob): SlurmSpec {
  if (job.executor?.kind !== 'slurm') throw new TypeError('a Slurm job needs job.executor of kind slurm');
  return job.executor;
}

// The attempt's file prefix and deterministic job name, which every Slurm job has.
function identity(job: StageJob): { prefix: string; name: string } {
  if (!job.controlPrefix || !job.jobName) throw new TypeError('a Slurm job needs job.controlPrefix and job.jobName');
  return { prefix: job.controlPrefix, name: job.jobName };
}
