// `npm run build` (also run by `npm ci` and `npm pack` through `prepare`): compiles src/ to dist/ with tsc
// (tsconfig.build.json: relative `.ts` imports become `.js`) and copies the files src/ reads at run time beside
// their code (stage wrapper, launcher, worker entries, report assets, the TIR driver, dedup's WebAssembly kernel),
// so dist/ mirrors src/ and every `new URL('./file', import.meta.url)` resolves the same from both. Plain
// JavaScript: it runs before anything is built. `--out DIR` writes the build elsewhere (the build's test). The build
// is made beside dist/ and then renamed into it file by file, so a run whose controller uses dist/ meanwhile never
// finds a file missing or half written.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const src = path.join(root, 'src');
const out = process.argv.indexOf('--out');
const dist = out > 0 && process.argv[out + 1] ? path.resolve(process.argv[out + 1]) : path.join(root, 'dist');

// src/'s folders and the newest of their modification times, taken before compiling: bin/loop.mjs compares them at
// start-up to tell a build older than its sources (a file added, removed or replaced since) and runs the sources then.
const folders = [
  '',
  ...readdirSync(src, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => path.relative(src, path.join(entry.parentPath, entry.name))),
];
const sourcesMtimeMs = Math.max(...folders.map((folder) => statSync(path.join(src, folder)).mtimeMs));

const staging = `${dist}.build-${process.pid}`;
rmSync(staging, { recursive: true, force: true });
const tsc = path.join(root, 'node_modules/typescript/bin/tsc');
if (!existsSync(tsc)) {
  // An install without the dev dependencies (`npm ci --omit=dev`): keep what dist/ holds, and say how to build.
  console.error('build: TypeScript is not installed (a dev dependency); dist/ is unchanged. `npm ci` installs it and builds.');
  process.exit(0);
}
const result = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json'), '--outDir', staging], { stdio: 'inherit' });
if (result.status !== 0) {
  rmSync(staging, { recursive: true, force: true });
  console.error('build: tsc failed; dist/ is unchanged');
  process.exit(result.status ?? 1);
}
writeFileSync(path.join(staging, 'build.json'), `${JSON.stringify({ sourcesMtimeMs, folders })}\n`);
let copied = 0;
for (const entry of readdirSync(src, { recursive: true, withFileTypes: true })) {
  if (!entry.isFile() || entry.name.endsWith('.ts')) continue;
  const from = path.join(entry.parentPath, entry.name);
  const to = path.join(staging, path.relative(src, from));
  mkdirSync(path.dirname(to), { recursive: true });
  copyFileSync(from, to);
  copied += 1;
}
// Into place: each file renamed over its old copy, then the files of an older build that this one lacks removed.
const files = (dir) =>
  existsSync(dir)
    ? readdirSync(dir, { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile())
        .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    : [];
const built = files(staging);
for (const file of built) {
  mkdirSync(path.dirname(path.join(dist, file)), { recursive: true });
  renameSync(path.join(staging, file), path.join(dist, file));
}
const keep = new Set(built);
for (const file of files(dist)) if (!keep.has(file)) rmSync(path.join(dist, file));
rmSync(staging, { recursive: true, force: true });
console.log(`build: ${path.relative(process.cwd(), dist) || '.'}/ written (${copied} files copied beside the compiled code)`);
