// Big artifacts: a file of BENCH_BIG_GB GiB (default 2; sparse, so made in no time) published to the Hub emulator
// through the real @huggingface/hub client and pulled back, each in a process of its own whose peak resident memory
// is reported, against a plain streaming PUT of the same file to the same emulator (node:http, piped from disk)
// and a plain streaming GET back, measured in the same run (each in a process of its own as well).
// docs/performance.md keeps the figures.
import { execFile } from 'node:child_process';
import { createReadStream, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { startHubEmulator } from '../../test/support/hub-emulator/hub-emulator.ts';

const gib = Number(process.env.BENCH_BIG_GB ?? 2);
const size = Math.round(gib * 2 ** 30);
const dir = mkdtempSync(path.join(tmpdir(), 'loop-bench-big-'));
const file = path.join(dir, 'model.safetensors');
writeFileSync(file, '');
truncateSync(file, size);
// Read once before anything is timed: a stage's output has just been written, so it is in the page cache, and the
// first read of a fresh sparse file costs several times a later one (the kernel fills the cache with zeroed pages):
// whichever child ran first would pay it alone (before 2026-12-04 that was the publish, measured against a warm PUT).
for await (const _ of createReadStream(file, { highWaterMark: 4 << 20 }));
const emulator = await startHubEmulator({ tokens: ['hf_bench'] });
const side = fileURLToPath(new URL('./big-artifacts/controller-side.ts', import.meta.url));
const tsx = fileURLToPath(new URL('../../node_modules/tsx/dist/cli.mjs', import.meta.url));
interface Figures {
  hashMs: number;
  commitMs: number;
  downloadMs: number;
  checkMs: number;
  maxRssMb: number;
  plainMs: number;
  sha256: string;
}

// Runs the controller's side in a child (asynchronously: the emulator answers it from this process).
const controller = async (...args: string[]) => {
  const { stdout } = await promisify(execFile)(process.execPath, [tsx, side, ...args], { encoding: 'utf8' });
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as Figures;
};
const auth = { Authorization: 'Bearer hf_bench' };

// The upload link the emulator hands out for the file in another repo (so the object is sent again), for the plain
// streaming PUT: what the server takes when nothing stands between the file and the socket.
async function uploadLink(sha256: string): Promise<string> {
  await fetch(`${emulator.url}/api/repos/create`, {
    method: 'POST',
    headers: { ...auth, 'Content-Type': 'application/json' },
    body: JSON.stringify({ name: 'plain', organization: 'bench', type: 'model' }),
  });
  const batch = (await (
    await fetch(`${emulator.url}/bench/plain.git/info/lfs/objects/batch`, {
      method: 'POST',
      headers: { ...auth, 'Content-Type': 'application/vnd.git-lfs+json' },
      body: JSON.stringify({ operation: 'upload', objects: [{ oid: sha256, size }] }),
    })
  ).json()) as { objects: Array<{ actions: { upload: { href: string } } }> };
  return batch.objects[0]!.actions.upload.href;
}

// The storage host's link to the published object, for the plain streaming GET.
async function downloadLink(): Promise<string> {
  const answer = await fetch(`${emulator.url}/bench/big/resolve/main/model.safetensors`, { headers: auth, redirect: 'manual' });
  return answer.headers.get('location')!;
}

const load = loadavg()[0]!.toFixed(2);
try {
  const published = await controller('publish', emulator.url, file);
  const putMs = (await controller('plain-put', await uploadLink(published.sha256), file)).plainMs;
  const getMs = (await controller('plain-get', await downloadLink(), path.join(dir, 'plain-get'))).plainMs;
  rmSync(path.join(dir, 'plain-get'));
  const pulled = await controller('pull', emulator.url, 'model.safetensors', path.join(dir, 'pulled'), published.sha256);
  const mibs = (ms: number) => `${((size / 2 ** 20) * 1000) / ms}`.replace(/(\.\d).*/, '$1');
  const sec = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  const ratio = (plain: number, ms: number) => `${(plain / ms).toFixed(2)}×`;
  const publishMs = published.hashMs + published.commitMs;
  const rows: Array<[string, string]> = [
    ['machine', `${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}, load ${load} at the start`],
    ['file', `${gib} GiB (sparse), one LFS object`],
    ['plain streaming PUT', `${sec(putMs)}  ${mibs(putMs)} MiB/s`],
    [
      'publish: commit (client hash + upload)',
      `${sec(published.commitMs)}  ${ratio(putMs, published.commitMs)} the plain PUT's throughput`,
    ],
    ["publish: with loop's own hash first", `${sec(publishMs)}  ${ratio(putMs, publishMs)} the plain PUT's throughput`],
    ['publish: peak memory', `${published.maxRssMb.toFixed(0)} MB (bound: 500 MB)`],
    ['plain streaming GET', `${sec(getMs)}  ${mibs(getMs)} MiB/s`],
    ['pull: download', `${sec(pulled.downloadMs)}  ${ratio(getMs, pulled.downloadMs)} the plain GET's throughput`],
    ['pull: with the hash check', `${sec(pulled.downloadMs + pulled.checkMs)}  ${ratio(getMs, pulled.downloadMs + pulled.checkMs)}`],
    ['pull: peak memory', `${pulled.maxRssMb.toFixed(0)} MB (bound: 500 MB)`],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  for (const [k, v] of rows) console.log(`${k.padEnd(width)}  ${v}`);
} finally {
  await emulator.close();
  rmSync(dir, { recursive: true, force: true });
}
