import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

// The recipes' Python stack (.ci/setup/python-stack.sh): LOOP_PYTHON, else .venv/bin/python at the repo root.
export const PYTHON = process.env.LOOP_PYTHON ?? path.resolve('.venv/bin/python');

// true when PYTHON imports torch, transformers and TRL; otherwise the reason, for describeWith.
export function pythonStack(): true | string {
  if (!existsSync(PYTHON)) return `${PYTHON} does not exist: run \`bash .ci/setup/python-stack.sh\` (or set LOOP_PYTHON)`;
  const probe = spawnSync(PYTHON, ['-c', 'import torch, transformers, trl'], { encoding: 'utf8' });
  if (probe.status === 0) return true;
  return (
    `${PYTHON} cannot import torch, transformers and trl (run \`bash .ci/setup/python-stack.sh\`): ` +
    `${probe.stderr.trim().split('\n').at(-1)}`
  );
}

// Runs a Python program of the recipes with the stack's interpreter; its last stdout line is JSON.
export function runPython(args: string[], options: { cwd?: string; env?: Record<string, string>; timeoutMs?: number } = {}) {
  const result = spawnSync(PYTHON, args, {
    cwd: options.cwd,
    env: { ...process.env, TOKENIZERS_PARALLELISM: 'false', HF_HUB_OFFLINE: '1', ...options.env },
    encoding: 'utf8',
    timeout: options.timeoutMs ?? 300_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  const last = result.stdout.trim().split('\n').at(-1) ?? '';
  return { code: result.status, stdout: result.stdout, stderr: result.stderr, json: () => JSON.parse(last) as Record<string, unknown> };
}
