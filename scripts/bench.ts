// `npm run bench [NAME…]`: runs every benchmark in scripts/bench/ (or the named ones), one process each so one
// benchmark's heap and warm caches do not colour the next. Each prints its figures as ratios against a baseline it
// measures in the same run; docs/performance.md records the latest figures.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('./bench/', import.meta.url));
const all = readdirSync(dir)
  .filter((f) => f.endsWith('.ts'))
  .map((f) => f.slice(0, -3))
  .sort();
const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !all.includes(name));
if (unknown.length > 0) {
  console.error(`bench: unknown benchmark ${unknown.join(', ')}; benchmarks: ${all.join(', ')}`);
  process.exit(2);
}
let failed = 0;
for (const name of wanted.length > 0 ? wanted : all) {
  console.log(`\n== ${name} ==`);
  const tsx = path.join(dir, '../../node_modules/tsx/dist/cli.mjs');
  const result = spawnSync(process.execPath, [tsx, path.join(dir, `${name}.ts`)], { stdio: 'inherit' });
  if (result.status !== 0) failed += 1;
}
process.exit(failed > 0 ? 1 : 0);
