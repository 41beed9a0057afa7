import { httpRequest, type HttpRequester, type HttpResponse } from './http-request.ts';

// The four calls of Ray's Jobs REST API (served by the dashboard) that loop needs. A failure is data: the dashboard
// could not be reached, or it answered with an error; nothing here throws for either.

// A job as GET /api/jobs/{id} describes it (raw field names kept apart in RawJob).
export interface RayJobInfo {
  submissionId: string;
  /** PENDING, RUNNING, STOPPED, SUCCEEDED or FAILED. */
  status: string;
  message: string;
  errorType: string | null;
  /** The entrypoint's exit code, when Ray saw it exit. */
  driverExitCode: number | null;
  startTime: number | null;
  endTime: number | null;
  metadata: Record<string, string>;
  entrypoint: string;
}

// What POST /api/jobs/ takes (https://docs.ray.io/en/latest/cluster/running-applications/job-submission/rest.html).
export interface RaySubmitRequest {
  entrypoint: string;
  submission_id: string;
  runtime_env?: Record<string, unknown>;
  metadata?: Record<string, string>;
  entrypoint_num_cpus?: number;
  entrypoint_num_gpus?: number;
  entrypoint_resources?: Record<string, number>;
}

/** The dashboard did not answer (refused, reset, timed out): the cluster may be down or restarting. */
export interface Unreachable {
  unreachable: string;
  /** The request surely never reached the dashboard (connection refused, no such host), as opposed to a reset or time-out. */
  neverSent?: boolean;
}

// Failures that happen before a byte of the request is read by the other end.
const NEVER_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

export interface RayJobsClient {
  /** submitted; exists when a job of that submission id is already known (Ray refuses a reused id); or an error. */
  submit(request: RaySubmitRequest): Promise<'submitted' | 'exists' | Unreachable | { error: string }>;
  /** The job, 'missing' when the cluster does not know it (never submitted, deleted, or the cluster restarted). */
  get(id: string): Promise<RayJobInfo | 'missing' | Unreachable | { error: string }>;
  /** The job's whole log so far, or undefined when it cannot be read now. */
  logs(id: string): Promise<string | undefined>;
  /** Asks Ray to stop the job (SIGTERM to the entrypoint, SIGKILL after Ray's grace period); false when it could not ask. */
  stop(id: string): Promise<boolean>;
  /** Every job the cluster knows, for tests and diagnostics. */
  list(): Promise<RayJobInfo[] | Unreachable | { error: string }>;
}

export interface JobsClientOptions {
  /** The dashboard, e.g. http://127.0.0.1:8265 (see ray-address.ts). */
  address: string;
  /** Sent with every request (token or proxy headers from the environment; see ray-headers.ts). */
  headers?: Record<string, string>;
  /** The HTTP layer (http-request.ts); tests may pass another. */
  request?: HttpRequester;
  /** Per request, in ms (default 30 s). */
  timeoutMs?: number;
}

interface RawJob {
  submission_id?: string | null;
  job_id?: string | null;
  status?: string;
  message?: string | null;
  error_type?: string | null;
  driver_exit_code?: number | null;
  start_time?: number | null;
  end_time?: number | null;
  metadata?: Record<string, string> | null;
  entrypoint?: string;
}

// A client for one dashboard. Credentials in the URL (http://user:pass@host) become a Basic Authorization header,
// so they never appear in a URL the client shows.
export function createRayClient(options: JobsClientOptions): RayJobsClient {
  const send = options.request ?? httpRequest;
  const url = new URL(options.address);
  const headers: Record<string, string> = { ...options.headers };
  if (url.username && !Object.keys(headers).some((k) => k.toLowerCase() === 'authorization')) {
    const credentials = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
    headers.Authorization = `Basic ${Buffer.from(credentials).toString('base64')}`;
  }
  url.username = '';
  url.password = '';
  const base = url.toString().replace(/\/+$/, '');
  const call = async (method: string, path: string, body?: unknown): Promise<HttpResponse | Unreachable> => {
    try {
      return await send(`${base}${path}`, {
        method,
        headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
        timeoutMs: options.timeoutMs ?? 30_000,
      });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      return {
        unreachable: `cannot reach the Ray dashboard at ${base}: ${code ?? (error as Error).message}`,
        ...(code !== undefined && NEVER_SENT.has(code) ? { neverSent: true } : {}),
      };
    }
  };
  const failure = (response: HttpResponse, what: string): { error: string } => {
    const last = response.text.trim().split('\n').filter(Boolean).at(-1) ?? '';
    return { error: `${what}: HTTP ${response.status}${last ? ` (${last.slice(0, 300)})` : ''}${authHint(response.status)}` };
  };
  const ok = (response: HttpResponse) => response.status >= 200 && response.status < 300;
  return {
    async submit(request) {
      const response = await call('POST', '/api/jobs/', request);
      if ('unreachable' in response) return response;
      if (ok(response)) return 'submitted';
      if (/already exists/.test(response.text)) return 'exists';
      const last = response.text.trim().split('\n').filter(Boolean).at(-1) ?? '';
      return {
        error:
          `Ray refused job ${request.submission_id}: HTTP ${response.status}` +
          `${last ? ` (${last.slice(0, 300)})` : ''}${authHint(response.status)}`,
      };
    },
    async get(id) {
      const response = await call('GET', `/api/jobs/${encodeURIComponent(id)}`);
      if ('unreachable' in response) return response;
      if (response.status === 404) return 'missing';
      if (!ok(response)) return failure(response, `reading Ray job ${id} failed`);
      const raw = parseJson<RawJob>(response.text);
      return raw ? toInfo(raw, id) : { error: `reading Ray job ${id} failed: the dashboard answered something other than JSON` };
    },
    async logs(id) {
      const response = await call('GET', `/api/jobs/${encodeURIComponent(id)}/logs`);
      if ('unreachable' in response || !ok(response)) return undefined;
      const logs = parseJson<{ logs?: unknown }>(response.text)?.logs;
      return typeof logs === 'string' ? logs : undefined;
    },
    async stop(id) {
      const response = await call('POST', `/api/jobs/${encodeURIComponent(id)}/stop`);
      return !('unreachable' in response) && ok(response);
    },
    async list() {
      const response = await call('GET', '/api/jobs/');
      if ('unreachable' in response) return response;
      if (!ok(response)) return failure(response, 'listing Ray jobs failed');
      const raws = parseJson<RawJob[]>(response.text);
      if (!Array.isArray(raws)) return { error: 'listing Ray jobs failed: the dashboard answered something other than a JSON list' };
      return raws.map((raw) => toInfo(raw, raw.submission_id ?? raw.job_id ?? ''));
    },
  };
}

// The public shape of a raw job.
function toInfo(raw: RawJob, id: string): RayJobInfo {
  return {
    submissionId: raw.submission_id ?? id,
    status: raw.status ?? 'UNKNOWN',
    message: raw.message ?? '',
    errorType: raw.error_type ?? null,
    driverExitCode: typeof raw.driver_exit_code === 'number' ? raw.driver_exit_code : null,
    startTime: raw.start_time ?? null,
    endTime: raw.end_time ?? null,
    metadata: raw.metadata ?? {},
    entrypoint: raw.entrypoint ?? '',
  };
}

// JSON, or undefined for anything else (a proxy's HTML error page).
function parseJson<T>(text: string): T | undefined {
  try {
    return JSON.parse(text) as T;
  } catch {
    return undefined;
  }
}

// 401 and 403 say what to set, without echoing any header.
function authHint(status: number): string {
  return status === 401 || status === 403
    ? '; the dashboard wants credentials: set RAY_AUTH_TOKEN (or RAY_AUTH_TOKEN_PATH) or RAY_JOB_HEADERS in the environment'
    : '';
}
