// Worker-thread entry: in a build (dist/) the compiled worker sits beside this file; from the sources, workers do
// not inherit the tsx loader the CLI registered on its own thread, so this plain module registers it first.
import { existsSync } from 'node:fs';

const compiled = new URL('./match-worker.js', import.meta.url);
if (existsSync(compiled)) {
  await import(compiled.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('./match-worker.ts');
}
