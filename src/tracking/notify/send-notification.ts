import { execa } from 'execa';
import type { NotifySpec } from '../../recipe/types.ts';
import { backoffDelay } from '../../time/backoff.ts';
import type { OutboxEntry } from '../outbox.ts';
import { notifyText } from './notify-text.ts';
import { networkProblem } from '../network-problem.ts';

export interface NotifyDeps {
  env: NodeJS.ProcessEnv;
  fetch: typeof fetch;
  sleep: (ms: number) => Promise<void>;
  cwd: string;
}

// Sends one notification to the webhook and/or the command, each with the recipe's attempts, a backoff between
// them and a timeout on each. Returns undefined when delivered, else why not, in words that never hold the
// webhook's URL (a secret: only the variable's name is said).
export async function sendNotification(spec: NotifySpec, run: string, entry: OutboxEntry, deps: NotifyDeps): Promise<string | undefined> {
  const body = { id: entry.id, at: entry.at, run, text: notifyText(run, entry.data), ...entry.data };
  const problems: string[] = [];
  if (spec.webhookEnv) {
    const url = deps.env[spec.webhookEnv];
    const problem = url
      ? await withAttempts(spec, deps, () => postWebhook(url, body, spec.timeoutSeconds, deps.fetch))
      : `$${spec.webhookEnv} is not set`;
    if (problem) problems.push(`webhook ($${spec.webhookEnv}): ${problem}`);
  }
  if (spec.command) {
    const problem = await withAttempts(spec, deps, () => runCommand(spec.command!, body, spec.timeoutSeconds, deps));
    if (problem) problems.push(`command ${spec.command[0]}: ${problem}`);
  }
  return problems.length > 0 ? problems.join('; ') : undefined;
}

async function withAttempts(spec: NotifySpec, deps: NotifyDeps, once: () => Promise<string | undefined>): Promise<string | undefined> {
  let problem: string | undefined;
  for (let attempt = 1; attempt <= spec.attempts; attempt++) {
    if (attempt > 1) await deps.sleep(backoffDelay({ firstMs: 500, factor: 2, maxMs: 5000 }, attempt - 1));
    problem = await once();
    if (problem === undefined) return undefined;
  }
  return `${problem} (after ${spec.attempts} attempt(s))`;
}

async function postWebhook(url: string, body: object, timeoutSeconds: number, fetcher: typeof fetch): Promise<string | undefined> {
  try {
    const response = await fetcher(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutSeconds * 1000),
    });
    await response.arrayBuffer().catch(() => undefined);
    return response.ok ? undefined : `HTTP ${response.status}`;
  } catch (error) {
    return networkProblem(error);
  }
}

async function runCommand(argv: string[], body: object, timeoutSeconds: number, deps: NotifyDeps): Promise<string | undefined> {
  const event = (body as { event?: string }).event ?? '';
  const result = await execa(argv[0]!, argv.slice(1), {
    cwd: deps.cwd,
    input: JSON.stringify(body),
    env: { LOOP_NOTIFY_EVENT: event },
    timeout: timeoutSeconds * 1000,
    reject: false,
    stdout: 'ignore',
    stderr: 'ignore',
  });
  if (result.timedOut) return `timed out after ${timeoutSeconds}s`;
  if (result.failed) return result.exitCode === undefined ? 'could not start' : `exit code ${result.exitCode}`;
  return undefined;
}
