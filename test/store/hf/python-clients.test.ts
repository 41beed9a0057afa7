import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startHubEmulator, type HubEmulator } from '../../support/hub-emulator/hub-emulator.ts';
import { describeWith } from '../../support/optional-dependency.ts';
import { PYTHON } from '../../support/python-stack.ts';
import { runCliAsync } from '../../helpers/run-cli-async.ts';

// Artifacts as users consume them (issue 15, part 6): a loop whose train_sft and train_rm stages write a real tiny
// Qwen2 model and a real listwise RM, published with store.kind=hf to the Hub emulator, then fetched by Python's real
// huggingface_hub (`snapshot_download`) and transformers (`from_pretrained(repo_id, revision="iter-1")`), and pulled
// with `loop pull` (Hub and local store) into folders transformers loads. The interpreter: $LOOP_PYTHON, else the
// repo's .venv (bash .ci/setup/python-stack.sh makes it).
const RECIPE_MODULE = path.resolve('recipes/qwen2.5-math');
const SCRIPTS = path.resolve('test/store/hf/python');
const TOKEN = `hf_PythonMustNotLeak${Date.now()}Qx`;

const probe = existsSync(PYTHON)
  ? spawnSync(PYTHON, ['-c', 'import torch, transformers, huggingface_hub, tokenizers, safetensors, datasets'], { encoding: 'utf8' })
  : undefined;
const available = !probe
  ? `no Python at ${PYTHON} (set LOOP_PYTHON, or run bash .ci/setup/python-stack.sh)`
  : probe.status === 0 ||
    `${PYTHON} cannot import torch, transformers, huggingface_hub, tokenizers, safetensors and datasets: ` +
      `${probe.stderr.trim().split('\n').at(-1)}`;

// Copies the prepared models in (iteration 0 gets policy sft-0, later iterations sft-1; with a README.md, as a
// trainer may write) and writes a line elsewhere.
const STAGE = `#!/bin/bash
set -e
out="$1"
case "$LOOP_STAGE" in
  train_sft) if [ "$LOOP_ITERATION" = 0 ]; then cp -r "$PREPARED/sft-0" "$out/model"; else cp -r "$PREPARED/sft-1" "$out/model"; fi
    echo "# a trainer's own card" > "$out/model/README.md" ;;
  train_rm) cp -r "$PREPARED/rm" "$out/rm" ;;
  rl_train) cp -r "$PREPARED/sft-0" "$out/model" ;;
  eval) echo '{"accuracy": 0.5}' > "$out/metrics.json"; echo '{"q": 1}' > "$out/predictions.jsonl" ;;
  rl_eval) echo '{"accuracy": 0.75}' > "$out/metrics.json"; echo '{"q": 1}' > "$out/predictions.jsonl" ;;
  *) echo "{\\"stage\\": \\"$LOOP_STAGE\\"}" > "$out/data.jsonl" ;;
esac
`;

const recipe = (prepared: string) => {
  const stage = (name: string, outputs: string, input = '') =>
    `  ${name}:\n    command: [bash, "{{ recipe_dir }}/stage.sh", "{{ out }}"${input}]\n    outputs: ${outputs}\n    env: { PREPARED: ` +
    `"${prepared}" }\n`;
  return [
    'name: hubpy',
    'loop: evolve',
    'seed: 1',
    'inputs: { seed_data: stage.sh }',
    'stages:',
    stage('train_sft', '{ model: model }', ', "{{ select.data ?? inputs.seed_data }}"'),
    stage('sample_rm', '{ data: data.jsonl }', ', "{{ train_sft.model }}"'),
    stage('train_rm', '{ model: rm }', ', "{{ sample_rm.data }}"'),
    stage('sample_sft', '{ data: data.jsonl }', ', "{{ train_sft.model }}"'),
    stage('select', '{ data: data.jsonl }', ', "{{ sample_sft.data }}", "{{ train_rm.model }}"'),
    stage('eval', '{ predictions: predictions.jsonl }', ', "{{ train_sft.model }}"'),
    'until:',
    '  max_iterations: 1',
    // The RL phase: its policy (here the other tiny model, sft-0) gets a model repo of its own, acme/RUN-rl.
    'rl:',
    '  stages:',
    ...[
      stage('rl_sample', '{ data: data.jsonl }', ', "{{ train_sft.model }}"'),
      stage('rl_filter', '{ data: data.jsonl }', ', "{{ rl_sample.data }}"'),
      stage('rl_train', '{ model: model }', ', "{{ rl_filter.data }}", "{{ train_rm.model }}"'),
      stage('rl_eval', '{ predictions: predictions.jsonl }', ', "{{ rl_train.model }}"'),
    ].map((text) => text.replace(/^/gm, '  ').trimEnd()),
    '',
  ].join('\n');
};

interface Seen {
  tokens: number[];
  scores: number[];
}
interface HubSeen extends Seen {
  rl: {
    tokens: number[];
    snapshot: Record<string, string>;
    card: { base_model: string; tags: string[]; results: Array<[string, number]> };
  };
  select_rows: unknown[];
  card: { datasets: string[]; tags: string[]; results: Array<[string, number]> };
  sft_snapshot: Record<string, string>;
  rm_snapshot: Record<string, string>;
  chat: string;
  other_revision_differs: boolean;
  scores_via_load_reward_model: number[];
}

let emulator: HubEmulator;
let dir: string;
let home: string;
let prepared: string;
let hfHome: string;
const outputs: string[] = [];
const cliEnv = () => ({ HF_ENDPOINT: emulator.url, HF_TOKEN: TOKEN });
const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
const folderHashes = (folder: string) =>
  Object.fromEntries(
    readdirSync(folder)
      .filter((n) => statSync(path.join(folder, n)).isFile())
      .map((n) => [n, sha256(path.join(folder, n))]),
  );

// The files a branch of an emulated repo holds, each of the folder's files among them with the same bytes.
function expectBranchHolds(repo: string, branch: string, folder: string) {
  const held = emulator.repos.get(repo)!;
  const files = held.commits.get(held.branches.get(branch)!)!.files;
  for (const [name, hash] of Object.entries(folderHashes(folder))) {
    expect(
      createHash('sha256')
        .update(files.get(name)?.content ?? '')
        .digest('hex'),
      `${repo}@${branch}: ${name}`,
    ).toBe(hash);
  }
  return files;
}

// Runs check_models.py with the Hub's endpoint and token in its environment (and no offline switch), a cache of its own.
async function python(args: string[]): Promise<{ reference: Seen & { rl_tokens?: number[] }; hub?: HubSeen; dirs?: Seen[] }> {
  const env: Record<string, string | undefined> = {
    ...process.env,
    ...cliEnv(),
    HF_HOME: hfHome,
    HF_HUB_DISABLE_PROGRESS_BARS: '1',
    HF_HUB_DISABLE_TELEMETRY: '1',
    HF_HUB_OFFLINE: undefined,
    TRANSFORMERS_OFFLINE: undefined,
  };
  const run = await execa(
    PYTHON,
    [path.join(SCRIPTS, 'check_models.py'), '--recipe-module', RECIPE_MODULE, '--reference', prepared, ...args],
    {
      env,
      extendEnv: false,
      reject: false,
      timeout: 240_000,
    },
  );
  outputs.push(String(run.stdout), String(run.stderr));
  expect(run.exitCode, String(run.stderr).slice(-4000)).toBe(0);
  return JSON.parse(String(run.stdout).trim().split('\n').at(-1)!);
}

describeWith('Python huggingface_hub and transformers on published artifacts', available, () => {
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'loop-hubpy-'));
    home = path.join(dir, 'home');
    prepared = path.join(dir, 'prepared');
    hfHome = path.join(dir, 'hf-home');
    const made = await execa(PYTHON, [path.join(SCRIPTS, 'make_tiny_models.py'), '--out', prepared, '--recipe-module', RECIPE_MODULE], {
      reject: false,
    });
    expect(made.exitCode, String(made.stderr)).toBe(0);
    writeFileSync(path.join(dir, 'stage.sh'), STAGE, { mode: 0o755 });
    writeFileSync(path.join(dir, 'recipe.yaml'), recipe(prepared));
    emulator = await startHubEmulator({ tokens: [TOKEN] });
  }, 120_000);
  afterAll(async () => {
    await emulator?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('runs the loop with store.kind=hf: the model folders land at the root of acme/hp-sft, acme/hp-rm and acme/hp-rl', {
    timeout: 240_000,
  }, async () => {
    const run = await runCliAsync(
      ['run', path.join(dir, 'recipe.yaml'), '--name', 'hp', '--home', home, '--set', 'store.kind=hf', '--set', 'store.namespace=acme'],
      {
        cwd: dir,
        env: cliEnv(),
        timeoutMs: 200_000,
      },
    );
    outputs.push(run.stdout, run.stderr);
    expect(run.code, run.stderr).toBe(0);
    const files = expectBranchHolds('models/acme/hp-sft', 'iter-1', path.join(prepared, 'sft-1'));
    expect(files.get('model.safetensors')?.lfs).toBeDefined(); // binary: through LFS, so downloads take the redirect
    expect([...files.keys()].some((p) => p.startsWith('model/'))).toBe(false);
    // README.md is loop's model card, not the folder's own, and publishing again changes nothing.
    expect(files.get('README.md')?.content.toString()).toContain('iteration 1');
    // The RL policy: at the root of its own model repo, on the last iteration's branch, main and final.
    expectBranchHolds('models/acme/hp-rl', 'iter-1', path.join(prepared, 'sft-0'));
    const rl = emulator.repos.get('models/acme/hp-rl')!;
    expect(rl.branches.get('main')).toBe(rl.branches.get('iter-1'));
    expect(rl.tags.get('final')).toBe(rl.branches.get('iter-1'));
    const again = await runCliAsync(['publish', 'hp', '--json', '--home', home], { cwd: dir, env: cliEnv() });
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toEqual({ commits: 0, files: 0 });
  });

  it('snapshot_download and from_pretrained(repo_id, revision="iter-1") fetch and load the SFT model, its tokenizer, the RM ' +
    'and the RL policy; load_dataset reads the data repo', {
    timeout: 300_000,
  }, async () => {
    const seen = await python([
      'hub',
      '--sft-repo',
      'acme/hp-sft',
      '--rm-repo',
      'acme/hp-rm',
      '--data-repo',
      'acme/hp-data',
      '--revision',
      'iter-1',
      '--other-revision',
      'iter-0',
      '--rl-repo',
      'acme/hp-rl',
    ]);
    const hub = seen.hub!;
    // The snapshot holds the bytes the stages wrote, plus the card and the Hub's .gitattributes.
    expect(hub.sft_snapshot).toMatchObject(folderHashes(path.join(prepared, 'sft-1')));
    expect(hub.rm_snapshot).toMatchObject(folderHashes(path.join(prepared, 'rm')));
    expect(Object.keys(hub.sft_snapshot)).toEqual(
      expect.arrayContaining(['README.md', 'config.json', 'model.safetensors', 'tokenizer.json']),
    );
    // The model generates what the stage's own copy generates, the tokenizer kept its chat template, and iter-0
    // (another policy) is a different model.
    expect(seen.reference.tokens.length).toBeGreaterThan(0);
    expect(hub.tokens).toEqual(seen.reference.tokens);
    expect(hub.chat).toContain('<|im_start|>assistant\n');
    expect(hub.other_revision_differs).toBe(true);
    // The RM scores as the reference does, loaded by class and by the recipe's load_reward_model.
    expect(seen.reference.scores).toHaveLength(2);
    expect(seen.reference.scores[0]).not.toBe(seen.reference.scores[1]);
    expect(hub.scores).toEqual(seen.reference.scores);
    expect(hub.scores_via_load_reward_model).toEqual(seen.reference.scores);
    // The dataset repo through datasets.load_dataset(repo, revision=, data_files=): the select stage's output.
    expect(hub.select_rows).toEqual([{ stage: 'select' }]);
    // The model card's front matter, through the Hub's repo info and huggingface_hub's ModelCardData parser.
    expect(hub.card.datasets).toEqual(['acme/hp-data']);
    expect(hub.card.tags).toContain('loop');
    expect(hub.card.results).toEqual([['eval.accuracy', 0.5]]);
    // The RL policy loads from acme/hp-rl at main and generates what the stage's copy generates; its card names the
    // SFT repo as its base and carries rl_eval's metrics.
    expect(seen.reference.rl_tokens).toBeDefined();
    expect(hub.rl.tokens).toEqual(seen.reference.rl_tokens);
    expect(hub.rl.snapshot).toMatchObject(folderHashes(path.join(prepared, 'sft-0')));
    expect(hub.rl.card).toEqual({ base_model: 'acme/hp-sft', tags: ['loop', 'grpo'], results: [['rl_eval.accuracy', 0.75]] });
    // What Python asked for beyond the Node client: the revision's info, HEADs on resolve, LFS bytes from the CDN.
    const modelSha = sha256(path.join(prepared, 'sft-1', 'model.safetensors'));
    expect(emulator.requests).toContain('GET /api/models/acme/hp-sft/revision/iter-1');
    expect(emulator.requests.some((r) => /^HEAD \/acme\/hp-sft\/resolve\/[0-9a-f]{40}\/config\.json$/.test(r))).toBe(true);
    expect(emulator.requests).toContain(`GET /_cdn/models/acme/hp-sft/${modelSha}`);
  });

  it('loop pull NAME@1 train_sft (and rl_train) DIR gives a folder from_pretrained loads, from the Hub and from the local store', {
    timeout: 360_000,
  }, async () => {
    const local = await runCliAsync(['run', path.join(dir, 'recipe.yaml'), '--name', 'lp', '--home', home], {
      cwd: dir,
      timeoutMs: 200_000,
    });
    expect(local.code, local.stderr).toBe(0);
    const pulled: string[] = [];
    for (const run of ['hp', 'lp']) {
      for (const stage of ['train_sft', 'train_rm', 'rl_train']) {
        const target = path.join(dir, 'pulled', run, stage);
        const pull = await runCliAsync(['pull', `${run}@1`, stage, target, '--home', home], { cwd: dir, env: cliEnv() });
        outputs.push(pull.stdout, pull.stderr);
        expect(pull.code, pull.stderr).toBe(0);
        pulled.push(target);
      }
    }
    // The folder itself holds config.json and the weights, byte for byte what the stage wrote.
    expect(folderHashes(pulled[0]!)).toEqual(folderHashes(path.join(prepared, 'sft-1')));
    expect(folderHashes(pulled[4]!)).toEqual(folderHashes(path.join(prepared, 'rm')));
    // The RL policy's folder, from the Hub and from the local store.
    expect(folderHashes(pulled[2]!)).toEqual(folderHashes(path.join(prepared, 'sft-0')));
    expect(folderHashes(pulled[5]!)).toEqual(folderHashes(path.join(prepared, 'sft-0')));
    const seen = await python(['dirs', '--sft', pulled[0]!, '--rm', pulled[1]!, '--sft', pulled[3]!, '--rm', pulled[4]!]);
    expect(seen.dirs).toEqual([seen.reference, seen.reference]);
  });

  it("the token's value is in no output of loop or Python, and in no file of Python's Hub cache", () => {
    expect(outputs.length).toBeGreaterThan(4);
    expect(outputs.filter((o) => o.includes(TOKEN))).toEqual([]);
    const hits: string[] = [];
    const walk = (d: string) => {
      for (const name of readdirSync(d)) {
        const file = path.join(d, name);
        const info = statSync(file, { throwIfNoEntry: false });
        if (info?.isDirectory()) walk(file);
        else if (info?.isFile() && readFileSync(file).includes(TOKEN)) hits.push(file);
      }
    };
    walk(hfHome);
    walk(home);
    expect(hits).toEqual([]);
  });
});
