import { readFileSync } from 'node:fs';

// The HTTP headers a secured dashboard needs, from the environment only (never the recipe, so never a log, the
// run's state or an argument list), read the way Ray's own clients read them:
// - RAY_AUTH_TOKEN, or the file named by RAY_AUTH_TOKEN_PATH: Ray's token authentication (`Authorization: Bearer …`);
// - RAY_JOB_HEADERS: a JSON object of headers, as `ray job submit` takes it (e.g. for a proxy or an ingress).
// A malformed RAY_JOB_HEADERS or an unreadable token file is an error naming the variable, not its value.
export function rayHeaders(env: NodeJS.ProcessEnv = process.env): { headers: Record<string, string> } | { error: string } {
  const headers: Record<string, string> = {};
  if (env.RAY_JOB_HEADERS) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(env.RAY_JOB_HEADERS);
    } catch {
      parsed = undefined;
    }
    if (
      typeof parsed !== 'object' ||
      parsed === null ||
      Array.isArray(parsed) ||
      Object.values(parsed).some((v) => typeof v !== 'string')
    ) {
      return { error: 'RAY_JOB_HEADERS must be a JSON object of string values, e.g. {"Authorization": "Bearer …"}' };
    }
    Object.assign(headers, parsed);
  }
  let token = env.RAY_AUTH_TOKEN?.trim();
  if (!token && env.RAY_AUTH_TOKEN_PATH) {
    try {
      token = readFileSync(env.RAY_AUTH_TOKEN_PATH, 'utf8').trim();
    } catch (error) {
      return {
        error:
          `RAY_AUTH_TOKEN_PATH names a file that cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}): ` +
          env.RAY_AUTH_TOKEN_PATH,
      };
    }
  }
  if (token && !Object.keys(headers).some((key) => key.toLowerCase() === 'authorization')) headers.Authorization = `Bearer ${token}`;
  return { headers };
}
