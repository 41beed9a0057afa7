// Assembles the WebAssembly text files under src/ (today src/data/dedup/minhash.wat) into the .wasm beside each,
// which is committed: `npm ci` and the build need no assembler, and test/data/dedup/minhash.test.ts checks that the
// committed bytes are what this gives. Run it after editing a .wat. Uses wabt (a dev dependency), SIMD enabled.
// Usage: node scripts/build-wasm.mjs [--check]   (--check: exit 1 when a .wasm differs from its .wat, write nothing)
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import createWabt from 'wabt';

const src = fileURLToPath(new URL('../src', import.meta.url));
const check = process.argv.includes('--check');
const wabt = await createWabt();
let stale = 0;
for (const entry of readdirSync(src, { recursive: true, withFileTypes: true })) {
  if (!entry.isFile() || !entry.name.endsWith('.wat')) continue;
  const wat = path.join(entry.parentPath, entry.name);
  const module = wabt.parseWat(entry.name, readFileSync(wat, 'utf8'), { simd: true });
  const bytes = Buffer.from(module.toBinary({}).buffer);
  module.destroy();
  const wasm = wat.replace(/\.wat$/, '.wasm');
  let committed;
  try {
    committed = readFileSync(wasm);
  } catch {}
  if (committed?.equals(bytes)) continue;
  stale += 1;
  if (check) console.error(`${path.relative(src, wasm)} is not what ${path.relative(src, wat)} assembles to`);
  else writeFileSync(wasm, bytes);
}
process.exitCode = check && stale > 0 ? 1 : 0;
