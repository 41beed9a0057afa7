#!/usr/bin/env node
// The `loop` command: runs the TypeScript entry through tsx, so no build step stands between `npm ci` and a run.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
