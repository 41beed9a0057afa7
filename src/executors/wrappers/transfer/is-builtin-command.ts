import { fileURLToPath } from 'node:url';

// This installation's `loop` entry, as the built-in stage kinds run it (src/recipe/expand-builtin-stages.ts).
const LOOP_BIN = fileURLToPath(new URL('../../../../bin/loop.mjs', import.meta.url));

// Whether a stage's command is a built-in kind (`loop data KIND …` under this node): it needs this checkout, so on a
// host without a shared filesystem it runs on the controller instead.
export function isBuiltinCommand(argv: string[]): boolean {
  return argv[0] === process.execPath && argv[1] === LOOP_BIN && argv[2] === 'data';
}
