import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

// The CPU-side adapters of the framework variants (recipes/qwen2.5-math-trl.yaml, -openrlhf.yaml), run for real with
// python3 on files shaped as the tools write them: grade.py's graded samples → `loop data rm-data --pairs` (the real
// loop, through LOOP_NODE/LOOP_BIN as a stage gets them) → TRL's and OpenRLHF's pair formats; OpenRLHF batch_inference
// rows joined back to query ids and samples; prompts rendered as ChatML (the recipe's chat format); RM folders told
// apart by config.json; OpenRLHF's RM TensorBoard tags.
// The GPU parts (vLLM, DeepSpeed, OpenRLHF, TRL trainers) cannot run here: they are only compiled (qwen-recipe.test.ts).

const scripts = path.resolve('recipes/qwen2.5-math');
const python = process.env.PYTHON ?? 'python3';
const loopEnv = { LOOP_NODE: process.execPath, LOOP_BIN: path.resolve('bin/loop.mjs') };
const env = { ...process.env, PYTHONDONTWRITEBYTECODE: '1', PYTHONPATH: `${scripts}:${path.resolve('test/recipes/qwen')}`, ...loopEnv };
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'qwen-adapters-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const jsonl = (rows: object[]) => rows.map((r) => JSON.stringify(r)).join('\n') + '\n';
const readJsonl = (file: string) =>
  readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, any>);
const py = (code: string, extraEnv: NodeJS.ProcessEnv = {}) =>
  spawnSync(python, ['-c', code], { encoding: 'utf8', env: { ...env, ...extraEnv } });
const script = (name: string, args: string[], extraEnv: NodeJS.ProcessEnv = {}) => {
  const e: NodeJS.ProcessEnv = { ...env, ...extraEnv };
  delete e.LOOP_METRICS;
  return spawnSync(python, [path.join(scripts, name), ...args], { encoding: 'utf8', env: e });
};
const SYSTEM = 'Please reason step by step, and put your final answer within \\boxed{}.';
// Renders messages as ChatML (what common.CHATML and Qwen2.5's own template give for these chats), standing in for
// transformers' apply_chat_template, which is not installed here.
const RENDER = `
from common import messages
def render(chat, gen=False):
    text = "".join(f"<|im_start|>{m['role']}\\n{m['content']}<|im_end|>\\n" for m in chat)
    return text + ("<|im_start|>assistant\\n" if gen else "")
`;

describe('RM pairs for RewardTrainer and OpenRLHF train_rm (rm_pairs.py → loop data rm-data --pairs)', { timeout: 60_000 }, () => {
  let graded: string;
  let queries: string;
  beforeAll(() => {
    // Six responses per query, graded by the recipe's own grade.py: q1 has 2 right / 4 wrong, q2 all right, q3 3/3.
    queries = path.join(dir, 'rm-queries.jsonl');
    writeFileSync(
      queries,
      jsonl([
        { id: 'q1', question: 'What is 2+2?', answer: '4' },
        { id: 'q2', question: 'What is 1+1?', answer: '2' },
        { id: 'q3', question: 'What is 3*3?', answer: '9' },
      ]),
    );
    const samples = [
      ...['\\boxed{4}', 'so \\boxed{4}.', '\\boxed{5}', '\\boxed{6}', '\\boxed{7}', 'The answer is 3'].map((r) => ({
        id: 'q1',
        response: `2+2: ${r}`,
      })),
      ...[1, 2, 3, 4, 5, 6].map((i) => ({ id: 'q2', response: `try ${i}: \\boxed{2}` })),
      ...['\\boxed{9}', '\\boxed{9.0}', 'nine, \\boxed{9}', '\\boxed{8}', '\\boxed{6}', '\\boxed{10}'].map((r) => ({
        id: 'q3',
        response: `3*3: ${r}`,
      })),
    ];
    writeFileSync(path.join(dir, 'samples.jsonl'), jsonl(samples));
    graded = path.join(dir, 'graded.jsonl');
    const run = script('grade.py', ['--queries', queries, '--samples', path.join(dir, 'samples.jsonl'), '--out', graded]);
    expect(run.status, run.stderr).toBe(0);
  });

  it('TRL format: implicit-prompt chats, every correct × wrong pair of a query with both, from the real loop', () => {
    const out = path.join(dir, 'pairs-trl.jsonl');
    const run = script('rm_pairs.py', [
      '--graded',
      graded,
      '--queries',
      queries,
      '--format',
      'trl',
      '--scratch',
      path.join(dir, 'scratch'),
      '--out',
      out,
    ]);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain('17 pairs from 2 queries');
    const rows = readJsonl(out);
    expect(rows).toHaveLength(2 * 4 + 3 * 3); // q1: 2 right × 4 wrong; q3: 3 × 3; q2 (all right) none
    expect(Object.keys(rows[0]!).sort()).toEqual(['chosen', 'rejected']);
    expect(rows[0]!.chosen).toEqual([
      { role: 'system', content: SYSTEM },
      { role: 'user', content: 'What is 2+2?' },
      { role: 'assistant', content: '2+2: \\boxed{4}' },
    ]);
    expect(rows[0]!.rejected[2]).toEqual({ role: 'assistant', content: '2+2: \\boxed{5}' });
    for (const row of rows) expect(row.chosen.slice(0, 2)).toEqual(row.rejected.slice(0, 2));
  });

  it('OpenRLHF format: prompt messages apart from the chosen and rejected turns; split by query for the held-out set', () => {
    const out = py(`
import json
from rm_pairs import build_pairs, split_by_query
from common import read_jsonl
summary = build_pairs(${JSON.stringify(graded)}, ${JSON.stringify(queries)}, ${JSON.stringify(path.join(dir, 'raw.jsonl'))}, 6)
pairs = list(read_jsonl(${JSON.stringify(path.join(dir, 'raw.jsonl'))}))
train, held = split_by_query(pairs, "openrlhf", 0.5, 7)
counts = [summary["kept"], summary["allCorrect"], summary["written"]]
print(json.dumps({"summary": counts, "train": len(train), "held": len(held), "row": train[0]}))
`);
    expect(out.status, out.stderr).toBe(0);
    const result = JSON.parse(out.stdout) as { summary: number[]; train: number; held: number; row: Record<string, unknown> };
    expect(result.summary).toEqual([2, 1, 17]);
    expect([result.train, result.held].sort()).toEqual([8, 9]); // one query's pairs on each side, never split
    expect(Object.keys(result.row).sort()).toEqual(['chosen', 'prompt', 'rejected']);
    expect(result.row.prompt).toEqual([
      { role: 'system', content: SYSTEM },
      { role: 'user', content: expect.stringMatching(/^What is/) },
    ]);
    expect((result.row.chosen as unknown[]).length).toBe(1);
  });

  it('fails clearly when no query mixes right and wrong, and when loop cannot be found', () => {
    const allRight = path.join(dir, 'all-right.jsonl');
    writeFileSync(
      allRight,
      readFileSync(graded, 'utf8')
        .split('\n')
        .filter((l) => l.includes('"q2"'))
        .join('\n') + '\n',
    );
    const none = script('rm_pairs.py', [
      '--graded',
      allRight,
      '--queries',
      queries,
      '--format',
      'trl',
      '--out',
      path.join(dir, 'none.jsonl'),
    ]);
    expect(none.status).toBe(1);
    expect(none.stderr).toMatch(
      /no query has both a correct and a wrong response among its first 6; there is nothing to train a pairwise RM on/,
    );
    // No LOOP_BIN and a PATH without `loop` (python3 itself by its absolute path).
    const absolutePython = execFileSync(python, ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).trim();
    const noLoop = spawnSync(
      absolutePython,
      [path.join(scripts, 'rm_pairs.py'), '--graded', graded, '--queries', queries, '--format', 'trl', '--out', path.join(dir, 'x.jsonl')],
      { encoding: 'utf8', env: { ...env, LOOP_BIN: '', PATH: '/nonexistent' } },
    );
    expect(noLoop.status).toBe(1);
    expect(noLoop.stderr).toMatch(/cannot run loop: run this inside a loop stage \(it sets LOOP_BIN\), or put `loop` on PATH/);
    const bad = script('rm_pairs.py', [
      '--graded',
      path.join(dir, 'missing.jsonl'),
      '--queries',
      queries,
      '--format',
      'trl',
      '--out',
      path.join(dir, 'y.jsonl'),
    ]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/loop data rm-data exited with code 7: .*missing\.jsonl/);
  });
});

describe('OpenRLHF batch_inference rows ↔ the stage contract (openrlhf_io.py)', { timeout: 60_000 }, () => {
  it('generate_vllm: prompts rendered with the chat template; prompts × n rows joined back to ids, end markers dropped', () => {
    const out = py(`${RENDER}
import json
from openrlhf_io import prompt_rows, join_generations
queries = [{"id": "a", "question": "What is 2+2?"}, {"id": "b", "question": "What is 3+3?"}, {"id": "c", "question": "What is 2+2?"}]
prompts = prompt_rows(queries, lambda q: render(messages(q), True))
# batch_inference: llm.generate(prompts * N), rows {"input", "output"} in that order, stop strings kept
rows = [{"input": p["input"], "output": f"{q['id']}{k} \\\\boxed{{4}}<|im_end|>"} for k in range(2) for q, p in zip(queries, prompts)]
print(json.dumps({"prompt": prompts[0]["input"], "joined": list(join_generations(queries, prompts, rows, 2))}))
try:
    list(join_generations(queries, prompts, rows[:5], 2))
except SystemExit as e:
    print(e)
try:
    list(join_generations(queries, prompts, [rows[1], rows[0], *rows[2:]], 2))
except SystemExit as e:
    print(e)
`);
    expect(out.status, out.stderr).toBe(0);
    const [first, short, swapped] = out.stdout.trim().split('\n');
    const result = JSON.parse(first!) as { prompt: string; joined: unknown[] };
    expect(result.prompt).toBe(
      `<|im_start|>system\n${SYSTEM}<|im_end|>\n<|im_start|>user\nWhat is 2+2?<|im_end|>\n<|im_start|>assistant\n`,
    );
    expect(result.joined).toEqual([
      { id: 'a', response: 'a0 \\boxed{4}' },
      { id: 'a', response: 'a1 \\boxed{4}' },
      { id: 'b', response: 'b0 \\boxed{4}' },
      { id: 'b', response: 'b1 \\boxed{4}' },
      { id: 'c', response: 'c0 \\boxed{4}' },
      { id: 'c', response: 'c1 \\boxed{4}' },
    ]);
    expect(short).toBe('batch_inference wrote 5 rows for 3 prompts x 2; expected 6: did it stop early? see the log above');
    expect(swapped).toMatch(/^batch_inference row 1 answers another prompt than prompt 1/);
  });

  it('rm mode: rewards from concatenated, padded rank files match samples by (input, output); a dropped row is an error', () => {
    const out = py(`${RENDER}
import json
from openrlhf_io import rm_row, join_rewards
questions = {"a": "What is 2+2?", "b": "What is 3+3?"}
samples = [
    {"id": "a", "response": "\\\\boxed{4}", "pred": "4"},
    {"id": "b", "response": "\\\\boxed{6}"},
    {"id": "a", "response": "\\\\boxed{5}"},
]
keys = [rm_row(render(messages(questions[s["id"]]), True), render(messages(questions[s["id"]], s["response"]))) for s in samples]
# two ranks' files concatenated (DistributedSampler deals rows round-robin and pads by repeating the first)
scored = [{**keys[0], "reward": 1.5}, {**keys[2], "reward": -2.0}, {**keys[1], "reward": 0.25}, {**keys[0], "reward": 1.5}]
print(json.dumps({"output": keys[0]["output"], "joined": list(join_rewards(samples, keys, scored))}))
try:
    list(join_rewards(samples, keys, scored[:2]))
except SystemExit as e:
    print(e)
`);
    expect(out.status, out.stderr).toBe(0);
    const [first, missing] = out.stdout.trim().split('\n');
    const result = JSON.parse(first!) as { output: string; joined: Array<Record<string, unknown>> };
    expect(result.output).toBe('\\boxed{4}<|im_end|>\n'); // what follows the prompt in the whole chat, as train_rm saw it
    expect(result.joined.map((r) => [r.id, r.response, r.rm])).toEqual([
      ['a', '\\boxed{4}', 1.5],
      ['b', '\\boxed{6}', 0.25],
      ['a', '\\boxed{5}', -2],
    ]);
    expect(result.joined[0]!.pred).toBe('4'); // other fields pass through
    expect(missing).toMatch(
      /^batch_inference gave no reward for 1 sample\(s\): OpenRLHF's SFTDataset drops a row whose prompt fills --max_len/,
    );
  });

  it('train_sft and train_ppo_ray rows carry the system prompt; strip_stop drops end markers only at the end', () => {
    const out = py(`
import json
from openrlhf_io import sft_row, ppo_row, strip_stop
print(json.dumps([sft_row({"id": 1, "question": "Q?", "response": "R"}), ppo_row({"id": 1, "question": "Q?", "answer": 4}),
                  strip_stop("x <|im_end|> y<|im_end|> <|endoftext|>\\n")]))
`);
    expect(out.status, out.stderr).toBe(0);
    expect(JSON.parse(out.stdout)).toEqual([
      {
        prompt: [
          { role: 'system', content: SYSTEM },
          { role: 'user', content: 'Q?' },
        ],
        response: [{ role: 'assistant', content: 'R' }],
      },
      {
        prompt: [
          { role: 'system', content: SYSTEM },
          { role: 'user', content: 'Q?' },
        ],
        answer: '4',
      },
      'x <|im_end|> y',
    ]);
  });

  it('reward_server.py scores OpenRLHF ChatML prompts by their question, responses without end markers', () => {
    const out = py(`${RENDER}
from reward_server import question_of, response_of
prompt = render(messages("What is 2+2?"), True)
print(repr(question_of(prompt)), repr(response_of(prompt + "so \\\\boxed{4}<|im_end|>", prompt)), repr(question_of("Q1 ")))
`);
    expect(out.status, out.stderr).toBe(0);
    expect(out.stdout.trim()).toBe("'What is 2+2?' 'so \\\\boxed{4}' 'Q1 '");
  });
});

describe('RM folders and OpenRLHF RM metrics', { timeout: 60_000 }, () => {
  it('rm_kind tells train_rm.py, TRL RewardTrainer and OpenRLHF RMs apart by config.json', () => {
    const configs: Record<string, object> = {
      listwise: { architectures: ['ListwiseRewardModel'], model_type: 'qwen2' },
      trl: { architectures: ['Qwen2ForSequenceClassification'], model_type: 'qwen2', num_labels: 1 },
      openrlhf: { architectures: ['RewardModel'], model_type: 'qwen2', value_head_prefix: 'score', mean: 0.1, std: 1.2 },
      causal: { architectures: ['Qwen2ForCausalLM'], model_type: 'qwen2' },
    };
    for (const [name, config] of Object.entries(configs)) {
      mkdirSync(path.join(dir, 'rm', name), { recursive: true });
      writeFileSync(path.join(dir, 'rm', name, 'config.json'), JSON.stringify(config));
    }
    const out = py(`
from rm_kind import rm_kind
print(*[rm_kind(${JSON.stringify(path.join(dir, 'rm'))} + "/" + n) for n in ("listwise", "trl", "openrlhf")])
rm_kind(${JSON.stringify(path.join(dir, 'rm', 'causal'))})
`);
    expect(out.stdout.trim()).toBe('listwise seqcls openrlhf');
    expect(out.status).toBe(1);
    expect(out.stderr).toMatch(/config\.json: architectures \['Qwen2ForCausalLM'\] is no reward model this recipe knows/);
    const missing = py(`from rm_kind import rm_kind\nrm_kind(${JSON.stringify(path.join(dir, 'nowhere'))})`);
    expect(missing.stderr).toMatch(/nowhere\/config\.json: cannot read the reward model's config .*; pass train_rm's output folder/);
  });

  it("openrlhf_rm.py: OpenRLHF train_rm TensorBoard tags → metrics.json with train_rm.py's names", () => {
    const tb = path.join(dir, 'rm-tb', 'rm_0101T00:00');
    mkdirSync(tb, { recursive: true });
    const out = py(`
import json
from pathlib import Path
from write_events import write_events
from tensorboard_metrics import metrics_from_events
from openrlhf_rm import with_aliases
write_events(${JSON.stringify(path.join(tb, 'events.out.tfevents.1.host'))}, [
    (10, [("train/loss", 0.69), ("train/acc", 0.5), ("train/chosen_reward", 0.0)]),
    (20, [("train/loss", 0.25), ("train/acc", 0.875), ("train/chosen_reward", 1.5), ("eval/eval_loss", 0.375), ("eval/acc_mean", 0.75)]),
])
print(json.dumps(with_aliases(metrics_from_events(Path(${JSON.stringify(path.join(dir, 'rm-tb'))})))))
`);
    expect(out.status, out.stderr).toBe(0);
    expect(JSON.parse(out.stdout)).toEqual({
      train_loss: 0.25,
      train_acc: 0.875,
      train_chosen_reward: 1.5,
      eval_eval_loss: 0.375,
      eval_acc_mean: 0.75,
      steps: 20,
      loss: 0.25,
      eval_loss: 0.375,
      eval_pair_accuracy: 0.75,
    });
  });
});

// `loop` gives every stage LOOP_NODE and LOOP_BIN, so a script can run this installation's data commands.
describe('LOOP_NODE and LOOP_BIN in a stage', { timeout: 60_000 }, () => {
  it('run loop data from inside a real run', () => {
    const home = path.join(dir, 'home');
    mkdirSync(home, { recursive: true });
    const recipe = path.join(dir, 'env-recipe.yaml');
    const stage = (name: string) =>
      `  ${name}:\n    command: [node, -e, "const {execFileSync} = require('node:child_process'); const fs = require('node:fs'); ` +
      `fs.writeFileSync(process.argv[1] + '/out.txt', execFileSync(process.env.LOOP_NODE, [process.env.LOOP_BIN, 'data', 'rm-data', ` +
      `'--help'], {encoding: 'utf8'}).split('\\\\n')[0])", "{{ out }}"]\n    outputs: { out: out.txt }\n`;
    const names = ['train_sft', 'eval', 'sample_rm', 'grade', 'train_rm', 'sample_sft', 'score', 'select'];
    writeFileSync(recipe, `name: envcheck\nloop: evolve\nstages:\n${names.map(stage).join('')}until:\n  max_iterations: 0\n`);
    const run = spawnSync(process.execPath, [path.resolve('bin/loop.mjs'), 'run', recipe, '--name', 'envcheck', '--home', home], {
      encoding: 'utf8',
      cwd: dir,
    });
    expect(run.status, run.stderr).toBe(0);
    const outFile = execFileSync('find', [home, '-name', 'out.txt'], { encoding: 'utf8' }).trim().split('\n')[0]!;
    expect(readFileSync(outFile, 'utf8')).toMatch(/^Usage: loop data rm-data --samples S --out OUT/);
  });
});
