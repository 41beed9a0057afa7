import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Executor, StageExecution, StageJob } from '../executor.ts';
import type { ExecutorSpec } from '../../recipe/types.ts';
import { LoopError } from '../../errors/loop-error.ts';
import { notStarted } from '../common/to-stage-execution.ts';
import { validateJob } from '../common/validate-job.ts';
import { sleep } from '../../time/sleep.ts';
import { nextInterval } from '../../time/backoff.ts';
import type { HttpRequester } from './http-request.ts';
import { createRayClient, type RayJobInfo, type RayJobsClient } from './ray-client.ts';
import { isActiveRayState } from './ray-states.ts';
import { jobRequest } from './job-request.ts';
import { followRayJob, type RayFollowOptions } from './follow-job.ts';
import { resolveRayAddress } from './ray-address.ts';
import { redactAddress } from '../../recipe/redact-address.ts';
import { rayHeaders } from './ray-headers.ts';
import { nextSubmissionId, readSubmissions, recordSubmission } from './submission-record.ts';
import { dropRaySecrets, placeRayFiles } from './secrets-file.ts';
import { forwardedSecrets } from '../common/forwarded-secrets.ts';
import { inDoubt } from './in-doubt.ts';

type RaySpec = Extract<ExecutorSpec, { kind: 'ray' }>;

// What the Ray executor needs from outside, injectable for tests: the environment (address, token, the secrets a
// stage gets), the HTTP layer, timing.
export interface RayExecutorDeps {
  env?: NodeJS.ProcessEnv;
  request?: HttpRequester;
  now?: () => Date;
  firstPollMs?: number;
  maxPollMs?: number;
  unreachableGiveUpMs?: number;
}

// Runs each stage attempt as one Ray job through the dashboard's Jobs REST API; the controller only submits, polls
// and copies the job's log. The cluster sees the run and recipe folders at the same paths (a shared filesystem), or
// works on their copies under workdir, which the transfer layer (wrappers/transfer/) makes through head_host and
// gives as job.remote. A sharded stage runs each shard as its own job (run-shards.ts), each re-attached and retried alone.
export function createRayExecutor(deps: RayExecutorDeps = {}): Executor {
  const options: RayFollowOptions = {
    firstPollMs: deps.firstPollMs ?? 250,
    maxPollMs: deps.maxPollMs ?? 5000,
    unreachableGiveUpMs: deps.unreachableGiveUpMs ?? 10 * 60_000,
    now: deps.now ?? (() => new Date()),
  };
  const connect = (job: StageJob): Connection | { error: string } => {
    const spec = specOf(job);
    const env = deps.env ?? process.env;
    const address = resolveRayAddress(spec, env);
    if ('error' in address) return address;
    const headers = rayHeaders(env);
    if ('error' in headers) return headers;
    return {
      spec,
      shown: redactAddress(address.url),
      client: createRayClient({ address: address.url, headers: headers.headers, request: deps.request }),
      secrets: forwardedSecrets(env),
    };
  };
  return {
    kind: 'ray',
    async run(job) {
      validateJob(job);
      const startedAt = options.now();
      const connection = connect(job);
      if ('error' in connection) return notStarted(connection, startedAt, options.now(), 0);
      const execution = await runRay(job, connection, options, startedAt);
      await dropRaySecrets(job, identity(job).prefix, connection.secrets);
      return execution;
    },
    async reattach(job, startedAt) {
      const connection = connect(job);
      if ('error' in connection) throw new LoopError('E_EXECUTOR_UNAVAILABLE', connection.error);
      const execution = await reattachRay(job, connection, options, startedAt);
      if (execution) await dropRaySecrets(job, identity(job).prefix, connection.secrets);
      return execution;
    },
  };
}

interface Connection {
  spec: RaySpec;
  /** The address as logs may show it (no password). */
  shown: string;
  client: RayJobsClient;
  /** `export NAME='value'` lines of the secrets the stage gets (forwarded-secrets.ts); empty when none. */
  secrets: string;
}

// One attempt afresh. The submission id is written to PREFIX.rayjob before the POST, so whatever happens next a
// controller finds the job by it. A job of this attempt still active is followed, never submitted again; one that
// never reached Ray is submitted under the id it was given; after one that is gone or ended, the next id (-r2, …).
async function runRay(job: StageJob, c: Connection, options: RayFollowOptions, begin: Date): Promise<StageExecution> {
  const { prefix, name } = identity(job);
  if (job.signal?.aborted) return notStarted({ error: 'canceled before start', canceled: true }, begin, options.now(), 0);
  mkdirSync(dirname(job.logFile), { recursive: true });
  const earlier = readSubmissions(prefix);
  const last = earlier.at(-1);
  let id: string | undefined;
  if (last) {
    const found = await lookUp(c.client, last.id, options);
    if (typeof found === 'object' && 'unreachable' in found) throw inDoubt(found.unreachable, last.id);
    if (found !== 'missing' && isActiveRayState(found.status)) {
      if (!last.confirmed) recordSubmission(prefix, 'submitted', last.id);
      appendFileSync(job.logFile, `=== loop: found Ray job ${last.id} of this attempt still ${found.status}; following it\n`);
      return followRayJob(c.client, last.id, job, prefix, begin.toISOString(), options);
    }
    if (found === 'missing' && !last.confirmed) {
      id = last.id;
    } else {
      const what = found === 'missing' ? 'is gone (the cluster restarted?)' : `ended (${found.status})`;
      appendFileSync(job.logFile, `=== loop: Ray job ${last.id} of this attempt ${what}; submitting the attempt as a new Ray job\n`);
    }
  }
  const taken = [...earlier];
  for (;;) {
    id ??= nextSubmissionId(name, taken);
    recordSubmission(prefix, 'submitting', id);
    const files = await placeRayFiles(job, prefix, id, c.secrets);
    if ('error' in files) return notStarted(files, begin, options.now(), 0);
    const submitted = await submitWithRetry(c.client, jobRequest(job, c.spec, files.script, id), options);
    if (typeof submitted === 'object' && 'unreachable' in submitted) throw inDoubt(submitted.unreachable, id);
    if (typeof submitted === 'object') return notStarted(submitted, begin, options.now(), 0);
    if (submitted === 'submitted') {
      appendFileSync(job.logFile, `=== loop: submitted Ray job ${id} to ${c.shown}\n`);
      break;
    }
    // Ray knows this id already: an earlier controller's POST got through, or a job of an earlier run of the attempt.
    const found = await lookUp(c.client, id, options);
    if (typeof found === 'object' && 'unreachable' in found) throw inDoubt(found.unreachable, id);
    if (found !== 'missing' && isActiveRayState(found.status)) {
      appendFileSync(job.logFile, `=== loop: found Ray job ${id} already submitted; following it\n`);
      break;
    }
    taken.push({ id, confirmed: true });
    id = undefined;
  }
  recordSubmission(prefix, 'submitted', id);
  return followRayJob(c.client, id, job, prefix, begin.toISOString(), options);
}

// After a controller restart: the attempt's last recorded job, followed if it runs and collected if it ended.
// Undefined when its POST never reached Ray (the attempt is submitted now, under the same id). A job Ray accepted
// but no longer knows (the cluster restarted) fails the attempt, saying so; the next attempt is a new job.
async function reattachRay(
  job: StageJob,
  c: Connection,
  options: RayFollowOptions,
  startedAt: string,
): Promise<StageExecution | undefined> {
  const { prefix } = identity(job);
  const last = readSubmissions(prefix).at(-1);
  if (!last) return undefined;
  const found = await lookUp(c.client, last.id, options);
  if (typeof found === 'object' && 'unreachable' in found) throw inDoubt(found.unreachable, last.id);
  if (found === 'missing' && !last.confirmed) return undefined;
  if (!last.confirmed) recordSubmission(prefix, 'submitted', last.id);
  appendFileSync(job.logFile, `=== loop: following Ray job ${last.id} again\n`);
  return followRayJob(c.client, last.id, job, prefix, startedAt, options);
}

// GET a job, trying again with backoff while the dashboard does not answer (a head restarting), up to the give-up time.
async function lookUp(
  client: RayJobsClient,
  id: string,
  options: RayFollowOptions,
): Promise<RayJobInfo | 'missing' | { unreachable: string }> {
  const since = options.now().getTime();
  for (let wait = options.firstPollMs; ; wait = nextInterval(wait, { maxMs: options.maxPollMs })) {
    const found = await client.get(id);
    if (found === 'missing' || !('unreachable' in found || 'error' in found)) return found;
    const why = 'unreachable' in found ? found.unreachable : found.error;
    if (options.now().getTime() - since >= options.unreachableGiveUpMs) return { unreachable: why };
    await sleep(wait);
  }
}

// POST the job, trying again while the dashboard does not answer; safe, since Ray refuses a second job of that id.
// Still unanswered after the give-up time: when every try was refused before it was sent (connection refused, no
// such host) no job exists and the attempt fails; when one may have reached Ray (reset, timed out) it is in doubt.
async function submitWithRetry(
  client: RayJobsClient,
  request: Parameters<RayJobsClient['submit']>[0],
  options: RayFollowOptions,
): Promise<'submitted' | 'exists' | { error: string } | { unreachable: string }> {
  const since = options.now().getTime();
  let maybeSent = false;
  for (let wait = options.firstPollMs; ; wait = nextInterval(wait, { maxMs: options.maxPollMs })) {
    const result = await client.submit(request);
    if (typeof result === 'string' || 'error' in result) return result;
    maybeSent ||= !result.neverSent;
    if (options.now().getTime() - since >= options.unreachableGiveUpMs) {
      return maybeSent ? { unreachable: result.unreachable } : { error: result.unreachable };
    }
    await sleep(wait);
  }
}

// The Ray options every Ray job carries (run-stage passes the stage's executor).
function specOf(job: StageJob): RaySpec {
  if (job.executor?.kind !== 'ray') throw new TypeError('a Ray job needs job.executor of kind ray');
  return job.executor;
}

// The attempt's file prefix and deterministic name, which every Ray job has.
function identity(job: StageJob): { prefix: string; name: string } {
  if (!job.controlPrefix || !job.jobName) throw new TypeError('a Ray job needs job.controlPrefix and job.jobName');
  return { prefix: job.controlPrefix, name: job.jobName };
}
