import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { simpleGit } from 'simple-git';
import type { Recipe } from '../recipe/types.ts';
import { TOOL_VERSION } from './tool-version.ts';
import { DEFAULT_RAY_ADDRESS } from '../recipe/default-ray-address.ts';
import { redactAddress } from '../recipe/redact-address.ts';

export interface GitProvenance {
  commit: string;
  branch: string | null;
  /** Uncommitted changes, untracked files included. */
  dirty: boolean;
  /** The origin remote's URL, with any user name or password removed; null when there is none. */
  remote: string | null;
}

// What produced an iteration: iterations/N/provenance.json (docs/run-directory.md).
export interface Provenance {
  version: 1;
  iteration: number;
  recordedAt: string;
  /** The repository holding the recipe and its scripts; null when the recipe's folder is not in a Git repository. */
  git: GitProvenance | null;
  /** sha256 of the run's normalized recipe (recipe.json). */
  recipeSha256: string;
  tool: { name: 'loop'; version: string };
  /** The controller's host, and per stage where it runs. */
  hosts: { controller: string; stages: Record<string, string> };
}

// Reads the provenance of an iteration about to start: Git state of the recipe's folder (simple-git), the recipe's
// hash, this tool's version and the hosts.
export async function collectProvenance(recipe: Recipe, recipeJsonFile: string, iteration: number, now: Date): Promise<Provenance> {
  return {
    version: 1,
    iteration,
    recordedAt: now.toISOString(),
    git: await recentGitProvenance(recipe.recipeDir, now),
    recipeSha256: createHash('sha256').update(readFileSync(recipeJsonFile)).digest('hex'),
    tool: { name: 'loop', version: TOOL_VERSION },
    hosts: {
      controller: hostname(),
      stages: Object.fromEntries(recipe.stages.map((s) => [s.name, stageHost(s.executor)])),
    },
  };
}

// Git state read less than this long ago is reused by the next iteration of the same controller: reading it takes
// five git processes (~150 ms), which a loop of fast stages would pay every iteration; real iterations last far
// longer, so each still gets a fresh reading.
const GIT_REUSE_MS = 60_000;
const recentGit = new Map<string, { at: number; value: Promise<GitProvenance | null> }>();

function recentGitProvenance(dir: string, now: Date): Promise<GitProvenance | null> {
  const cached = recentGit.get(dir);
  if (cached && now.getTime() - cached.at >= 0 && now.getTime() - cached.at < GIT_REUSE_MS) return cached.value;
  const value = gitProvenance(dir);
  recentGit.set(dir, { at: now.getTime(), value });
  return value;
}

async function gitProvenance(dir: string): Promise<GitProvenance | null> {
  const git = simpleGit({ baseDir: dir });
  try {
    if (!(await git.checkIsRepo())) return null;
    const commit = (await git.revparse(['HEAD'])).trim();
    const branch = (await git.revparse(['--abbrev-ref', 'HEAD'])).trim();
    const dirty = !(await git.status()).isClean();
    const remote = await git
      .remote(['get-url', 'origin'])
      .then((url) => (url ? stripCredentials(url.trim()) : null))
      .catch(() => null);
    return { commit, branch: branch === 'HEAD' ? null : branch, dirty, remote };
  } catch {
    // A repository without commits, or git missing: no Git provenance rather than a failed run.
    return null;
  }
}

// `https://user:token@host/x.git` → `https://host/x.git`: a remote URL may carry a credential.
export function stripCredentials(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, '$1');
}

function stageHost(executor: Recipe['executor']): string {
  switch (executor.kind) {
    case 'local':
      return hostname();
    case 'ssh':
      return executor.user ? `${executor.user}@${executor.host}` : executor.host;
    case 'slurm':
      return (
        `slurm${executor.loginHost ? ` via ${executor.loginHost}` : ''}` +
        `${executor.partition ? ` (partition ${executor.partition})` : ''}`
      );
    case 'ray':
      return `ray ${redactAddress(executor.address ?? process.env.RAY_ADDRESS ?? DEFAULT_RAY_ADDRESS)}`;
    default:
      return (executor as { kind: string }).kind;
  }
}
