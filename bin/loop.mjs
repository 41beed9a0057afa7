#!/usr/bin/env node
// The `loop` command: runs the compiled JavaScript in dist/, which `npm ci`, `npm pack` and `npm run build` write
// (scripts/build.mjs). LOOP_FROM_SOURCE=1 runs the TypeScript sources through tsx instead, a dev dependency: the
// tests set it (vitest.config.ts) so they never run a stale build, and a checkout not built yet falls back to it.
import { existsSync } from 'node:fs';

const compiled = new URL('../dist/cli/main.js', import.meta.url);
let entry = compiled.href;
if (process.env.LOOP_FROM_SOURCE === '1' || !existsSync(compiled)) {
  try {
    const { register } = await import('tsx/esm/api');
    register();
  } catch {
    const why = process.env.LOOP_FROM_SOURCE === '1' ? 'LOOP_FROM_SOURCE=1 needs tsx, a dev dependency' : 'it has no dist/';
    console.error(`loop: cannot start: ${why}; run \`npm ci\` (or \`npm run build\`) in ${new URL('..', import.meta.url).pathname}`);
    process.exit(1);
  }
  entry = new URL('../src/cli/main.ts', import.meta.url).href;
}
const { main } = await import(entry);
process.exitCode = await main(process.argv.slice(2));
