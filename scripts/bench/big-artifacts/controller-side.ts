// The controller's side of the big-artifacts benchmark, in a process of its own so its peak memory is its own:
// `publish ENDPOINT FILE` hashes the file (as a finished stage's outputs are) and commits it to the Hub through the
// real @huggingface/hub client; `pull ENDPOINT PATH DEST SHA256` downloads it and checks its hash, as `loop pull`
// does; `plain-put URL FILE` and `plain-get URL DEST` are the baselines, a plain streaming PUT and GET piped
// between disk and socket by node:http, run in a process of their own too so both sides pay the same. Prints one
// JSON line: the phases' wall times and the process's peak resident memory.
import { createReadStream, createWriteStream, statSync } from 'node:fs';
import { request } from 'node:http';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { sha256File } from '../../../src/fs/sha256-file.ts';
import { collectOutputFiles } from '../../../src/store/collect-output-files.ts';
import { openBackend } from '../../../src/store/open-backend.ts';

const [mode, endpoint, ...rest] = process.argv.slice(2);
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const backend = openBackend({ kind: 'hf', namespace: 'bench', private: true, overlap: false, endpoint }, '/nonexistent', {
  env: { HF_TOKEN: 'hf_bench' },
  sleep,
});
const repo = { type: 'model' as const, id: 'bench/big' };
const ms = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;
const figures: Record<string, number | string> = {};
if (mode === 'publish') {
  const file = rest[0]!;
  let start = process.hrtime.bigint();
  const files = await collectOutputFiles(path.dirname(file), { model: path.basename(file) }, '');
  figures.hashMs = ms(start);
  figures.sha256 = files[0]!.sha256;
  await backend.ensureRepo(repo, { private: true });
  const head = await backend.read(repo, 'main');
  start = process.hrtime.bigint();
  await backend.commit(repo, 'main', { title: 'bench', description: '', add: files, remove: [], parent: head!.commit });
  figures.commitMs = ms(start);
} else if (mode === 'plain-put') {
  const start = process.hrtime.bigint();
  const put = request(endpoint!, { method: 'PUT', headers: { 'Content-Length': statSync(rest[0]!).size } });
  const answered = new Promise<number>((resolve, reject) => {
    put.on('response', (res) => res.resume().on('end', () => resolve(res.statusCode ?? 0)));
    put.on('error', reject);
  });
  await pipeline(createReadStream(rest[0]!, { highWaterMark: 1 << 20 }), put);
  if ((await answered) !== 200) throw new Error('the plain PUT failed');
  figures.plainMs = ms(start);
} else if (mode === 'plain-get') {
  const start = process.hrtime.bigint();
  await new Promise<void>((resolve, reject) => {
    request(endpoint!, (res) => pipeline(res, createWriteStream(rest[0]!)).then(resolve, reject))
      .on('error', reject)
      .end();
  });
  figures.plainMs = ms(start);
} else {
  const [repoPath, dest, sha256] = rest as [string, string, string];
  const start = process.hrtime.bigint();
  const downloaded = await backend.download(repo, 'main', repoPath, dest);
  figures.downloadMs = ms(start);
  // As `loop pull` does: the hash taken on the way in (the Hub backend's), else a read of the file.
  const check = process.hrtime.bigint();
  if ((downloaded.sha256 ?? (await sha256File(dest))) !== sha256) throw new Error(`${dest} does not hash to ${sha256}`);
  figures.checkMs = ms(check);
}
figures.maxRssMb = process.resourceUsage().maxRSS / 1024;
console.log(JSON.stringify(figures));
