// `npm run build` (also run by `npm ci` and `npm pack` through `prepare`): compiles src/ to dist/ with tsc
// (tsconfig.build.json: relative `.ts` imports become `.js`) and copies the files src/ reads at run time beside
// their code (stage wrapper, launcher, worker entries, report assets, the TIR driver), so dist/ mirrors src/ and
// every `new URL('./file', import.meta.url)` resolves the same from both. Plain JavaScript: it runs before anything
// is built. `--out DIR` writes the build elsewhere (the build's test).
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const src = path.join(root, 'src');
const out = process.argv.indexOf('--out');
const dist = out > 0 && process.argv[out + 1] ? path.resolve(process.argv[out + 1]) : path.join(root, 'dist');

rmSync(dist, { recursive: true, force: true });
const tsc = path.join(root, 'node_modules/typescript/bin/tsc');
const result = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json'), '--outDir', dist], { stdio: 'inherit' });
if (result.status !== 0) {
  console.error('build: tsc failed; dist/ is incomplete');
  process.exit(result.status ?? 1);
}
let copied = 0;
for (const entry of readdirSync(src, { recursive: true, withFileTypes: true })) {
  if (!entry.isFile() || entry.name.endsWith('.ts')) continue;
  const from = path.join(entry.parentPath, entry.name);
  const to = path.join(dist, path.relative(src, from));
  mkdirSync(path.dirname(to), { recursive: true });
  copyFileSync(from, to);
  copied += 1;
}
console.log(`build: ${path.relative(process.cwd(), dist) || '.'}/ written (${copied} files copied beside the compiled code)`);
