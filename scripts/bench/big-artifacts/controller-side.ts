// The controller's side of the big-artifacts benchmark, in a process of its own so its peak memory is its own:
// `publish ENDPOINT FILE` hashes the file (as a finished stage's outputs are) and commits it to the Hub through the
// real @huggingface/hub client; `pull ENDPOINT PATH DEST SHA256` downloads it and checks its hash, as `loop pull`
// does. Prints one JSON line: the phases' wall times and the process's peak resident memory.
import path from 'node:path';
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
} else {
  const [repoPath, dest, sha256] = rest as [string, string, string];
  const start = process.hrtime.bigint();
  await backend.download(repo, 'main', repoPath, dest);
  figures.downloadMs = ms(start);
  const check = process.hrtime.bigint();
  if ((await sha256File(dest)) !== sha256) throw new Error(`${dest} does not hash to ${sha256}`);
  figures.checkMs = ms(check);
}
figures.maxRssMb = process.resourceUsage().maxRSS / 1024;
console.log(JSON.stringify(figures));
