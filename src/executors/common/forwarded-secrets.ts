import { shellQuote } from './shell-quote.ts';

// The variables a stage may need from the controller's environment that a remote host (SSH, a Ray cluster) does not
// have: Hub and tracker tokens. LOOP_FORWARD_ENV (names separated by commas or spaces) adds to them.
export const FORWARDED_ENV = [
  'HF_TOKEN',
  'HUGGING_FACE_HUB_TOKEN',
  'HF_ENDPOINT',
  'WANDB_API_KEY',
  'WANDB_BASE_URL',
  'WANDB_ENTITY',
  'WANDB_PROJECT',
];

// The allow-listed variables set in `env`, as shell lines (`export NAME='value'`): for the SSH launch command's
// standard input (never in ssh's argv, which `ps` shows on both ends), or the Ray job's one-shot secrets file
// (ray/secrets-file.ts), never in Ray's job record.
export function forwardedSecrets(env: NodeJS.ProcessEnv): string {
  const extra = (env.LOOP_FORWARD_ENV ?? '').split(/[\s,]+/).filter((name) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(name));
  const names = [...new Set([...FORWARDED_ENV, ...extra])];
  return names
    .filter((name) => env[name] !== undefined && env[name] !== '')
    .map((name) => `export ${name}=${shellQuote(env[name]!)}\n`)
    .join('');
}
