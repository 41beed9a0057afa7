import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Recipe } from '../recipe/types.ts';
import type { RunPaths } from '../run-folder/run-paths.ts';
import { parseHfUrl } from './hf/parse-hf-url.ts';
import { retryingFetch } from './hf/retrying-fetch.ts';
import { streamingFetch } from './hf/streaming-fetch.ts';
import { PUBLIC_HUB } from './open-backend.ts';
import { safeRelative } from './collect-output-files.ts';
import { StoreError } from './store-error.ts';

export interface HubInputDeps {
  env: NodeJS.ProcessEnv;
  sleep: (ms: number) => Promise<void>;
  report: (line: string) => void;
  fetch?: typeof fetch;
}

// Downloads the recipe's `hf://` inputs into the run folder (inputs/NAME/…) once, and returns the recipe with
// those inputs pointing at the local copies: stages always get a path. A folder URL downloads every file under it.
export async function resolveHubInputs(recipe: Recipe, paths: RunPaths, deps: HubInputDeps): Promise<Recipe> {
  const remote = Object.entries(recipe.inputs).filter(([, value]) => value.startsWith('hf://'));
  if (remote.length === 0) return recipe;
  const endpoint = (recipe.store?.endpoint ?? deps.env.HF_ENDPOINT ?? PUBLIC_HUB).replace(/\/+$/, '');
  const token = deps.env.HF_TOKEN || undefined;
  const fetch = retryingFetch(streamingFetch(deps.fetch ?? globalThis.fetch), {
    attempts: 4,
    delayMs: (n) => 250 * 2 ** (n - 1),
    sleep: deps.sleep,
  });
  const { hfBackend } = await import('./hf/hf-backend.ts');
  const backend = hfBackend({ endpoint, token, fetch });
  const inputs = { ...recipe.inputs };
  for (const [name, url] of remote) {
    const target = parseHfUrl(url);
    const dir = path.join(paths.root, 'inputs', name);
    const done = path.join(dir, '.complete');
    const local = path.join(dir, target.path ? path.posix.basename(target.path) : target.repo.id.split('/')[1]!);
    inputs[name] = local;
    if (existsSync(done)) continue;
    const revision = await backend.read(target.repo, target.revision);
    if (!revision) throw new StoreError(`input ${name}: ${target.repo.id} has no revision "${target.revision}" on ${endpoint}`);
    const exact = revision.files.find((f) => f.path === target.path);
    const files = exact ? [exact] : revision.files.filter((f) => !target.path || f.path.startsWith(`${target.path}/`));
    if (files.length === 0) throw new StoreError(`input ${name}: ${url} names no file or folder in ${target.repo.id}@${target.revision}`);
    for (const f of files) {
      const rel = exact
        ? path.posix.basename(f.path)
        : safeRelative(target.path ? f.path.slice(target.path.length + 1) : f.path, `input ${name}`);
      await backend.download(target.repo, revision.commit, f.path, exact ? local : path.join(local, rel));
    }
    mkdirSync(dir, { recursive: true });
    writeFileSync(done, `${JSON.stringify({ url, commit: revision.commit })}\n`);
    deps.report(`input ${name}: downloaded ${files.length} file(s) of ${url} (commit ${revision.commit.slice(0, 8)})`);
  }
  return { ...recipe, inputs };
}
