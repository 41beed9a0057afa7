import { networkProblem } from '../network-problem.ts';

// A call to MLflow's REST API (https://mlflow.org/docs/latest/rest-api.html) that did not succeed: `down` when
// the server could not be reached or answered 5xx (the points wait in the outbox), else the server refused it.
export class MlflowCallError extends Error {
  readonly status: number | undefined;
  readonly errorCode: string | undefined;

  constructor(message: string, status?: number, errorCode?: string) {
    super(message);
    this.name = 'MlflowCallError';
    this.status = status;
    this.errorCode = errorCode;
  }

  get down(): boolean {
    return this.status === undefined || this.status >= 500 || this.status === 429;
  }
}

export interface MlflowClient {
  /** The server, as it may be shown (no credentials: they come from the environment, never the URL). */
  uri: string;
  get<T>(api: string, query: Record<string, string>): Promise<T>;
  post<T>(api: string, body: object): Promise<T>;
}

// The client MLflow users expect: MLFLOW_TRACKING_TOKEN as a bearer token, else MLFLOW_TRACKING_USERNAME and
// MLFLOW_TRACKING_PASSWORD as basic auth; each call times out after `timeoutMs`. Error messages name the API and
// the status, never a header.
// A user and password inside MLFLOW_TRACKING_URI (http://me:pw@host) are used as basic auth when the variables
// give none, and never shown: the client's `uri` and every message have the address without them.
export function mlflowClient(uri: string, env: NodeJS.ProcessEnv, fetcher: typeof fetch, timeoutMs = 5000): MlflowClient {
  const parsed = new URL(uri);
  const inUri = parsed.username ? { user: decodeURIComponent(parsed.username), password: decodeURIComponent(parsed.password) } : undefined;
  parsed.username = '';
  parsed.password = '';
  const base = parsed.toString().replace(/\/+$/, '');
  const user = env.MLFLOW_TRACKING_USERNAME ?? inUri?.user;
  const password = env.MLFLOW_TRACKING_USERNAME ? env.MLFLOW_TRACKING_PASSWORD : inUri?.password;
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (env.MLFLOW_TRACKING_TOKEN) headers.authorization = `Bearer ${env.MLFLOW_TRACKING_TOKEN}`;
  else if (user && password !== undefined) headers.authorization = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  const call = async <T>(api: string, init: RequestInit, url: string): Promise<T> => {
    let response: Response;
    try {
      response = await fetcher(url, { ...init, headers, signal: AbortSignal.timeout(timeoutMs) });
    } catch (error) {
      throw new MlflowCallError(`MLflow at ${base}: ${api}: ${networkProblem(error)}`);
    }
    const text = await response.text().catch(() => '');
    let body: { error_code?: string; message?: string } = {};
    try {
      body = text ? (JSON.parse(text) as typeof body) : {};
    } catch {
      // not JSON: a proxy's page
    }
    if (!response.ok) {
      const detail = body.error_code ? `${body.error_code}: ${String(body.message ?? '').slice(0, 200)}` : `HTTP ${response.status}`;
      throw new MlflowCallError(`MLflow at ${base}: ${api}: ${detail}`, response.status, body.error_code);
    }
    return body as T;
  };
  return {
    uri: base,
    get: (api, query) => call(api, { method: 'GET' }, `${base}/api/2.0/mlflow/${api}?${new URLSearchParams(query)}`),
    post: (api, body) => call(api, { method: 'POST', body: JSON.stringify(body) }, `${base}/api/2.0/mlflow/${api}`),
  };
}
