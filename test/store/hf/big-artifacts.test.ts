import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOOP_BIN } from '../../helpers/run-cli.ts';
import { startHubEmulator, type HubEmulator } from '../../support/hub-emulator/hub-emulator.ts';

// A 2 GiB model file (sparse: made at once, read back as zeros) published to the Hub (the emulator, through the
// real @huggingface/hub client) by `loop run`, then pulled back by `loop pull`: the controller hashes, uploads and
// downloads it as streams, so its peak resident memory stays under 500 MB, measured in its own process.
const GIB = 2;
const BOUND_KIB = 500 * 1024;
const TOKEN = 'hf_bigArtifactsTestToken';
const RSS_PROBE = path.resolve('test/support/max-rss.mjs');
const RECIPE = `name: big
loop: evolve
stages:
  sample_rm: { command: [/bin/true] }
  train_rm: { command: [/bin/true] }
  sample_sft: { command: [/bin/true] }
  select: { command: [/bin/true] }
  train_sft:
    command: [sh, -c, 'mkdir -p "$0/model" && truncate -s ${GIB}G "$0/model/model.safetensors"', "{{ out }}"]
    outputs: { model: model }
  eval: { command: [/bin/true] }
until:
  max_iterations: 0
store: { kind: hf, namespace: acme }
`;

let emulator: HubEmulator;
let home: string;
beforeAll(async () => {
  emulator = await startHubEmulator({ tokens: [TOKEN] });
  home = mkdtempSync(path.join(tmpdir(), 'loop-big-'));
  writeFileSync(path.join(home, 'big.yaml'), RECIPE);
});
afterAll(async () => {
  await emulator.close();
  rmSync(home, { recursive: true, force: true });
});

// Runs `loop ARGS` with the probe loaded; its exit code, stderr and peak RSS in KiB.
async function loopWithPeak(args: string[]): Promise<{ code: number; stderr: string; peakKib: number }> {
  const probe = path.join(home, `rss-${args[0]}`);
  const result = await execa(process.execPath, ['--import', RSS_PROBE, LOOP_BIN, ...args, '--home', home], {
    cwd: home,
    env: { NO_COLOR: '1', HF_ENDPOINT: emulator.url, HF_TOKEN: TOKEN, LOOP_TEST_MAX_RSS_FILE: probe },
    reject: false,
    timeout: 240_000,
  });
  return { code: result.exitCode ?? -1, stderr: String(result.stderr), peakKib: Number(readFileSync(probe, 'utf8')) };
}

describe(`a ${GIB} GiB output on the Hub`, () => {
  it('is published by loop run and pulled by loop pull with the controller under 500 MB of resident memory', {
    timeout: 480_000,
  }, async () => {
    const run = await loopWithPeak(['run', 'big.yaml']);
    expect(run.code, run.stderr).toBe(0);
    const model = emulator.repos.get('models/acme/big-sft')!;
    const file = model.commits.get(model.branches.get('iter-0')!)!.files.get('model.safetensors')!;
    expect([file.size, file.lfs]).toEqual([GIB * 2 ** 30, expect.stringMatching(/^[0-9a-f]{64}$/)]);
    expect(run.peakKib, 'loop run: peak RSS in KiB').toBeLessThan(BOUND_KIB);

    const pull = await loopWithPeak(['pull', 'big@0', 'train_sft', 'pulled']);
    expect(pull.code, pull.stderr).toBe(0);
    expect(statSync(path.join(home, 'pulled/model.safetensors')).size).toBe(GIB * 2 ** 30);
    expect(pull.peakKib, 'loop pull: peak RSS in KiB').toBeLessThan(BOUND_KIB);
  });
});
