import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
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
import { noteSubmitting, recordedJob, recordJobId } from './job-id-file.ts';
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
  noteSubmitting(prefix);
  const live = (await client.findByName(name)).filter((found) => isActiveState(found.state)).at(-1);
  let id = live?.id;
  if (id === undefined) {
    const submitted = await client.submit(script);
    if ('error' in submitted) return notStarted({ error: submitted.error }, startedAt, options.now(), 0);
    id = submitted.id;
  } else {
    appendFileSync(job.logFile, `=== loop: found Slurm job ${id} (${name}) already submitted; following it\n`);
  }
  recordJobId(prefix, id);
  return followJob(client, id, job, prefix, startedAt.toISOString(), options);
}

// After a controller restart: the attempt's recorded job (job-id-file.ts), followed again. Undefined when no job was
// submitted: the attempt runs again.
async function reattachSlurm(
  job: StageJob,
  startedAt: string,
  client: SlurmClient,
  options: FollowOptions,
): Promise<StageExecution | undefined> {
  const { prefix, name } = identity(job);
  const id = await recordedJob(prefix, () => client.findByName(name));
  return id === undefined ? undefined : followJob(client, id, job, prefix, startedAt, options);
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
