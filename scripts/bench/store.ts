// What publishing an iteration to the store costs, against hashing the same files (the least any "send only what
// changed" can do): a first publish and an unchanged republish, on the local store and on the Hub backend (the
// real @huggingface/hub client against the in-repo emulator on 127.0.0.1). docs/performance.md keeps the figures.
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { collectOutputFiles } from '../../src/store/collect-output-files.ts';
import { commitFiles } from '../../src/store/commit-files.ts';
import { openBackend } from '../../src/store/open-backend.ts';
import type { RepoRef, StoreBackend } from '../../src/store/store-backend.ts';
import { startHubEmulator } from '../../test/support/hub-emulator/hub-emulator.ts';

const home = mkdtempSync(path.join(tmpdir(), 'loop-bench-store-'));
const out = path.join(home, 'out');
const large = Number(process.env.BENCH_LARGE_FILES ?? 8);
const largeMb = 4;
const small = 50;
mkdirSync(path.join(out, 'model'), { recursive: true });
for (let i = 0; i < large; i++) writeFileSync(path.join(out, 'model', `shard-${i}.bin`), randomBytes(largeMb * 1024 * 1024));
for (let i = 0; i < small; i++) writeFileSync(path.join(out, 'model', `meta-${i}.json`), JSON.stringify({ i, pad: 'x'.repeat(1000) }));
const totalMb = large * largeMb + (small * 1.0) / 1024;

async function ms(work: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await work();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

const sleep = (n: number) => new Promise<void>((resolve) => setTimeout(resolve, n));
const repo: RepoRef = { type: 'model', id: 'bench/run-sft' };
const message = { title: 'bench', description: 'bench' };

// First publish and unchanged republish on one backend, hashing included (as a stage's publish does).
async function publishTwice(backend: StoreBackend): Promise<[number, number]> {
  await backend.ensureRepo(repo, { private: true });
  await backend.ensureBranch(repo, 'iter-0', 'main');
  const publish = async () =>
    commitFiles({ backend, sleep }, repo, 'iter-0', await collectOutputFiles(out, { model: 'model' }, ''), ['model'], message);
  const first = await ms(publish);
  const again = await ms(publish);
  return [first, again];
}

const hashOnly = await ms(() => collectOutputFiles(out, { model: 'model' }, ''));
const [localFirst, localAgain] = await publishTwice(openBackend(undefined, home, { env: {}, sleep }));
const emulator = await startHubEmulator({ lfsThreshold: 1024 * 1024 });
const hf = openBackend({ kind: 'hf', namespace: 'bench', private: true, overlap: false, endpoint: emulator.url }, home, {
  env: { HF_TOKEN: 'hf_bench' },
  sleep,
});
const [hfFirst, hfAgain] = await publishTwice(hf);
const puts = emulator.requests.filter((r) => r.startsWith('PUT')).length;
await emulator.close();
rmSync(home, { recursive: true, force: true });

const ratio = (t: number) => `${(t / hashOnly).toFixed(2)}×`;
const rows: Array<[string, string]> = [
  ['machine', `${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}`],
  ['files', `${large} × ${largeMb} MiB + ${small} × 1 KiB (${totalMb.toFixed(1)} MiB)`],
  ['baseline: sha256 of every file', `${hashOnly.toFixed(0)} ms`],
  ['local, first publish', `${localFirst.toFixed(0)} ms  (${ratio(localFirst)})`],
  ['local, unchanged republish', `${localAgain.toFixed(0)} ms  (${ratio(localAgain)}), no commit`],
  ['hf (emulator), first publish', `${hfFirst.toFixed(0)} ms  (${ratio(hfFirst)}), ${puts} LFS uploads`],
  ['hf (emulator), unchanged republish', `${hfAgain.toFixed(0)} ms  (${ratio(hfAgain)}), no commit, no upload`],
];
const width = Math.max(...rows.map(([k]) => k.length));
for (const [k, v] of rows) console.log(`${k.padEnd(width)}  ${v}`);
