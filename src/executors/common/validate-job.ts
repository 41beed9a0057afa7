import type { StageJob } from '../executor.ts';

// A malformed job is a bug in the caller, not a stage outcome: reject it once, at the entry, naming the option and value.
export function validateJob(job: StageJob): void {
  const { argv, cwd, logFile, env, timeoutSeconds, graceSeconds } = job;
  if (!Array.isArray(argv) || argv.length === 0 || argv.some((arg) => typeof arg !== 'string')) {
    throw new TypeError(`job.argv must be a non-empty array of strings, got ${JSON.stringify(argv)}`);
  }

  if (argv[0] === '') {
    throw new TypeError('job.argv[0] (the program) must not be empty');
  }

  if (typeof cwd !== 'string' || cwd === '') {
    throw new TypeError(`job.cwd must be a non-empty string, got ${JSON.stringify(cwd)}`);
  }

  if (typeof logFile !== 'string' || logFile === '') {
    throw new TypeError(`job.logFile must be a non-empty string, got ${JSON.stringify(logFile)}`);
  }

  if (typeof env !== 'object' || env === null || Object.values(env).some((value) => typeof value !== 'string')) {
    throw new TypeError(`job.env must be an object of string values, got ${JSON.stringify(env)}`);
  }

  if (timeoutSeconds !== undefined && !(Number.isFinite(timeoutSeconds) && timeoutSeconds > 0)) {
    throw new TypeError(`job.timeoutSeconds must be a positive number, got ${String(timeoutSeconds)}`);
  }

  if (graceSeconds !== undefined && !(Number.isFinite(graceSeconds) && graceSeconds >= 0)) {
    throw new TypeError(`job.graceSeconds must be a number >= 0, got ${String(graceSeconds)}`);
  }
}
