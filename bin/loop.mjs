#!/usr/bin/env node
// The `loop` command: runs the compiled JavaScript in dist/, which `npm ci`, `npm pack` and `npm run build` write
// (scripts/build.mjs). LOOP_FROM_SOURCE=1 runs the TypeScript sources through tsx instead, a dev dependency: the
// tests set it (vitest.config.ts) so they never run a stale build, and a checkout not built yet falls back to it, as
// does one whose src/ changed after dist/ was built (a `git pull` without `npm ci`), saying so.
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const compiled = new URL('../dist/cli/main.js', import.meta.url);
const root = fileURLToPath(new URL('..', import.meta.url));

// Whether a file was added to, removed from or replaced in src/ (as `git pull` and `git checkout` do) after dist/
// was built: each changes its folder's modification time, and the build recorded src/'s folders and the newest of
// their times in dist/build.json. One stat per folder (about 55), about a millisecond. A file edited in place is not
// seen (LOOP_FROM_SOURCE=1 is for working on the sources). No src/ (an installed package) or no record (an older
// build): nothing to compare.
function sourcesNewerThanBuild() {
  let built;
  try {
    built = JSON.parse(readFileSync(path.join(root, 'dist/build.json'), 'utf8'));
  } catch {
    return false;
  }
  const src = path.join(root, 'src');
  if (typeof built?.sourcesMtimeMs !== 'number' || !Array.isArray(built.folders) || !existsSync(src)) return false;
  // A folder gone counts as changed (Infinity).
  return built.folders.some(
    (folder) => (statSync(path.join(src, folder), { throwIfNoEntry: false })?.mtimeMs ?? Infinity) > built.sourcesMtimeMs,
  );
}

const stale = process.env.LOOP_FROM_SOURCE !== '1' && existsSync(compiled) && sourcesNewerThanBuild();
let entry = compiled.href;
if (process.env.LOOP_FROM_SOURCE === '1' || !existsSync(compiled) || stale) {
  try {
    const { register } = await import('tsx/esm/api');
    register();
    entry = new URL('../src/cli/main.ts', import.meta.url).href;
    if (stale) {
      console.error(
        `loop: src/ changed after dist/ was built; running the sources (slower to start; \`npm run build\` in ${root} makes dist/ current)`,
      );
    }
  } catch {
    if (!stale) {
      const why = process.env.LOOP_FROM_SOURCE === '1' ? 'LOOP_FROM_SOURCE=1 needs tsx, a dev dependency' : 'it has no dist/';
      console.error(`loop: cannot start: ${why}; run \`npm ci\` (or \`npm run build\`) in ${root}`);
      process.exit(1);
    }
    console.error(`loop: src/ changed after dist/ was built, and without tsx only dist/ can run; \`npm ci\` in ${root} rebuilds it`);
  }
}
const { main } = await import(entry);
process.exitCode = await main(process.argv.slice(2));
