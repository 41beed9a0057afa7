import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AttemptInDoubtError } from '../../../src/executors/attempt-in-doubt-error.ts';
import type { HttpRequester } from '../../../src/executors/ray/http-request.ts';
import { createRayClient } from '../../../src/executors/ray/ray-client.ts';
import { createRayExecutor } from '../../../src/executors/ray/run-ray.ts';
import { recordSubmission } from '../../../src/executors/ray/submission-record.ts';

// Port 1 on localhost: nothing listens, so every request is refused at once (a cluster that is down).
const DOWN = 'http://127.0.0.1:1';

describe('the Ray client when no dashboard answers', () => {
  it('gives every call back as data, naming the address and the reason', async () => {
    const client = createRayClient({ address: DOWN });
    expect(await client.get('x')).toEqual({ unreachable: `cannot reach the Ray dashboard at ${DOWN}: ECONNREFUSED`, neverSent: true });
    // Refused: the request surely never reached a dashboard (a time-out or a reset could have).
    expect(await client.submit({ entrypoint: 'true', submission_id: 'x' })).toEqual({
      unreachable: expect.stringContaining('ECONNREFUSED'),
      neverSent: true,
    });
    expect(await client.logs('x')).toBeUndefined();
    expect(await client.stop('x')).toBe(false);
  });

  it('an attempt whose every POST was refused fails after the give-up time; a recorded job is in doubt instead', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'loop-ray-down-'));
    const executor = createRayExecutor({ firstPollMs: 20, maxPollMs: 50, unreachableGiveUpMs: 300 });
    const job = {
      argv: ['true'],
      cwd: dir,
      env: {},
      logFile: path.join(dir, 'log.txt'),
      controlPrefix: path.join(dir, 'attempt-1'),
      executor: { kind: 'ray' as const, address: DOWN, metadata: {}, sharedFilesystem: true as const },
      jobName: 'loop-d-i0-eval-a1-0000',
    };
    expect(await executor.run(job)).toMatchObject({ ok: false, error: `cannot reach the Ray dashboard at ${DOWN}: ECONNREFUSED` });
    recordSubmission(job.controlPrefix, 'submitted', job.jobName);
    const reattached = executor.reattach!(job, new Date().toISOString());
    await expect(reattached).rejects.toThrow(AttemptInDoubtError);
    await expect(reattached).rejects.toThrow(
      /ECONNREFUSED; Ray job loop-d-i0-eval-a1-0000 may still run, so loop neither fails the attempt nor submits it again: `loop resume`/,
    );
    // A fresh run of the attempt looks its recorded job up first: while nobody answers, it may run, so nothing is submitted.
    await expect(executor.run(job)).rejects.toThrow(AttemptInDoubtError);
  });
});

describe("the Ray client's requests", () => {
  it("moves credentials out of the URL into a Basic header, and adds the environment's headers", async () => {
    const seen: Array<{ url: string; headers: Record<string, string> }> = [];
    const request: HttpRequester = async (url, init) => {
      seen.push({ url, headers: init.headers });
      return { status: 404, text: 'Job x does not exist' };
    };
    const client = createRayClient({ address: 'https://me:p%40ss@ray.example.com/', headers: { 'X-Proxy': 'a' }, request });
    expect(await client.get('loop-r-i0-eval-a1-0abc')).toBe('missing');
    expect(seen).toEqual([
      {
        url: 'https://ray.example.com/api/jobs/loop-r-i0-eval-a1-0abc',
        headers: { 'X-Proxy': 'a', Authorization: `Basic ${Buffer.from('me:p@ss').toString('base64')}` },
      },
    ]);
  });
});
