import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

// The RL phase's CPU pieces of the Qwen2.5-Math recipes, run for real with python3 (standard library only): the
// difficulty filter, the shaped reward, the reward server's HTTP protocol, and the adapters that turn each
// framework's own logs (TRL's trainer_state.json, verl's console log, OpenRLHF's TensorBoard events) into metrics.json.

const scripts = path.resolve('recipes/qwen2.5-math');
const python = process.env.PYTHON ?? 'python3';
const env = { ...process.env, PYTHONDONTWRITEBYTECODE: '1', PYTHONPATH: scripts };
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'qwen-rl-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const jsonl = (rows: object[]) => rows.map((r) => JSON.stringify(r)).join('\n') + '\n';
const py = (code: string) => execFileSync(python, ['-c', code], { encoding: 'utf8', env });
const script = (name: string, args: string[]) => {
  const e: NodeJS.ProcessEnv = { ...env };
  delete e.LOOP_METRICS;
  return spawnSync(python, [path.join(scripts, name), ...args], { encoding: 'utf8', env: e });
};

describe('qwen2.5-math RL scripts', { timeout: 60_000 }, () => {
  it('rl_filter.py keeps the queries with 2 to 5 of 8 correct', () => {
    const counts: Record<string, number> = { a: 0, b: 1, c: 2, d: 5, e: 6, f: 8 };
    writeFileSync(path.join(dir, 'q.jsonl'), jsonl(Object.keys(counts).map((id) => ({ id, question: `q ${id}`, answer: '1' }))));
    const graded = Object.entries(counts).flatMap(([id, k]) => Array.from({ length: 8 }, (_, i) => ({ id, response: '', correct: i < k })));
    writeFileSync(path.join(dir, 'graded.jsonl'), jsonl(graded));
    const out = path.join(dir, 'filter', 'kept.jsonl');
    const run = script('rl_filter.py', ['--queries', path.join(dir, 'q.jsonl'), '--graded', path.join(dir, 'graded.jsonl'), '--out', out]);
    expect(run.status, run.stderr).toBe(0);
    const kept = readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: string; sft_correct: number });
    expect(kept.map((q) => [q.id, q.sft_correct])).toEqual([
      ['c', 2],
      ['d', 5],
    ]);
    expect(JSON.parse(readFileSync(path.join(dir, 'filter', 'metrics.json'), 'utf8'))).toEqual({
      queries: 6,
      kept: 2,
      kept_share: 2 / 6,
      too_easy: 2,
      too_hard: 2,
    });
    const bad = script('rl_filter.py', [
      '--queries',
      path.join(dir, 'q.jsonl'),
      '--graded',
      path.join(dir, 'graded.jsonl'),
      '--min',
      '6',
      '--max',
      '5',
      '--out',
      out,
    ]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--min 6 is more than --max 5');
  });

  it('the shaped reward puts every wrong answer below every right one', () => {
    // |rm| up to 60: beyond that, sigmoid(0.5 * rm) rounds to exactly 0 or 1 in floating point and the two meet at 0.
    const out = py(`
from shaped_reward import shaped_reward, rule_verdict
rms = [-60, -4, 0, 4, 60]
print(max(shaped_reward(r, False) for r in rms) < min(shaped_reward(r, True) for r in rms))
print(round(shaped_reward(0, True), 6), round(shaped_reward(0, False), 6), round(shaped_reward(2, True), 6))
print(rule_verdict("so \\\\boxed{\\\\frac{1}{2}}", "0.5"), rule_verdict("The answer is 3", "4"))
`);
    expect(out.trim().split('\n')).toEqual(['True', '0.5 -0.5 0.731059', 'True False']);
  });

  it('reward_server.py answers OpenRLHF /get_reward and /score with shaped rewards', () => {
    // The server's HTTP protocol with a stand-in scorer (the real one loads the RM with torch and transformers).
    const out = py(`
import json, threading, urllib.request
from http.server import ThreadingHTTPServer
from reward_server import make_handler
from shaped_reward import shaped_reward
scorer = lambda questions, responses: [float(len(r)) - 10 for r in responses]
server = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(scorer))
threading.Thread(target=server.serve_forever, daemon=True).start()
url = f"http://127.0.0.1:{server.server_address[1]}"
def post(path, body):
    req = urllib.request.Request(url + path, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req) as r: return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e: return e.code, json.loads(e.read())
status, reply = post("/get_reward", {"prompts": ["Q1 ", "Q2 "], "query": ["Q1 The answer is " +
  "\\\\boxed{4}", "Q2 \\\\boxed{5}"], "labels": ["4", "6"]})
print(status, reply["extra_logs"]["correct"], reply["rewards"] == [shaped_reward(len("The answer is " +
  "\\\\boxed{4}") - 10, True), shaped_reward(len("\\\\boxed{5}") - 10, False)])
status, reply = post("/score", {"questions": ["Q"], "responses": ["\\\\boxed{7}"], "answers": ["7"]})
print(status, reply["correct"], reply["rewards"][0] > 0)
empty = post("/score", {"questions": [], "responses": [], "answers": []})[0]
print(empty, post("/score", {"questions": ["Q"], "responses": ["x"], "answers": []})[0])
with urllib.request.urlopen(url + "/health") as r: print(json.loads(r.read()))
server.shutdown()
`);
    expect(out.trim().split('\n')).toEqual(['200 [True, False] True', '200 [True] True', '200 400', "{'ok': True}"]);
  });

  it('trainer_state_metrics.py turns a GRPOTrainer trainer_state.json into flat metrics', () => {
    const ckpt = path.join(dir, 'scratch', 'checkpoint-20');
    mkdirSync(ckpt, { recursive: true });
    mkdirSync(path.join(dir, 'scratch', 'checkpoint-5'), { recursive: true });
    writeFileSync(
      path.join(dir, 'scratch', 'checkpoint-5', 'trainer_state.json'),
      JSON.stringify({ global_step: 5, log_history: [{ loss: 9, step: 5 }] }),
    );
    const entry = (step: number, reward: number) => ({
      'clip_ratio/region_mean': 0,
      'completions/mean_length': 512.5 + step,
      epoch: step / 20,
      grad_norm: 0.4,
      kl: 0.001 * step,
      learning_rate: 1e-6,
      loss: 0.01 * step,
      num_tokens: 1000 * step,
      reward,
      reward_std: 0.3,
      'rewards/shaped_reward/mean': reward,
      'rewards/shaped_reward/std': 0.3,
      step,
    });
    const state = {
      global_step: 20,
      max_steps: 20,
      epoch: 1,
      log_history: [
        entry(10, 0.1),
        entry(20, 0.45),
        {
          epoch: 1,
          step: 20,
          total_flos: 0,
          train_loss: 0.15,
          train_runtime: 99.1,
          train_samples_per_second: 1.2,
          train_steps_per_second: 0.2,
        },
      ],
    };
    writeFileSync(path.join(ckpt, 'trainer_state.json'), JSON.stringify(state));
    const out = path.join(dir, 'trl-metrics.json');
    const run = script('trainer_state_metrics.py', ['--state', path.join(dir, 'scratch'), '--out', out]);
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual({
      clip_ratio_region_mean: 0,
      completions_mean_length: 532.5,
      kl: 0.02,
      loss: 0.2,
      num_tokens: 20000,
      reward: 0.45,
      reward_std: 0.3,
      rewards_shaped_reward_mean: 0.45,
      rewards_shaped_reward_std: 0.3,
      steps: 20,
      train_loss: 0.15,
    });
    const none = script('trainer_state_metrics.py', ['--state', path.join(dir, 'nothing'), '--out', out]);
    expect(none.status).toBe(1);
    expect(none.stderr).toContain('no trainer_state.json in');
  });

  it('verl_log_metrics.py reads verl console step lines', () => {
    const log = [
      '(TaskRunner pid=123) Training Progress:   0%|          | 0/2',
      '(TaskRunner pid=123) step:1 - global_seqlen/mean:51234.0 - actor/pg_loss:-0.0123 - actor/kl_loss:0.0 - critic/score/mean:-0.21 - ' +
        'critic/rewards/mean:-0.21 - response_length/mean:640.25 - timing_s/gen:35.2',
      'some other line',
      '(TaskRunner pid=123) step:2 - actor/pg_loss:0.004 - critic/score/mean:0.15 - critic/rewards/mean:0.15 - ' +
        'response_length/mean:600.0 - actor/entropy:nan',
    ].join('\n');
    writeFileSync(path.join(dir, 'verl.log'), log);
    const out = path.join(dir, 'verl-metrics.json');
    const run = script('verl_log_metrics.py', ['--log', path.join(dir, 'verl.log'), '--out', out]);
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual({
      actor_kl_loss: 0,
      actor_pg_loss: 0.004,
      critic_rewards_mean: 0.15,
      critic_score_mean: 0.15,
      global_seqlen_mean: 51234,
      response_length_mean: 600,
      steps: 2,
      timing_s_gen: 35.2,
    });
  });

  it('tensorboard_metrics.py reads scalars from TFRecord event files (as torch.utils.tensorboard writes them)', () => {
    // Writes an event file byte by byte in the TFRecord + Event protobuf encoding: a version record, then scalars.
    const tb = path.join(dir, 'tb', 'run');
    mkdirSync(tb, { recursive: true });
    py(`
import sys
sys.path.insert(0, ${JSON.stringify(path.resolve('test/recipes/qwen'))})
from write_events import write_events
write_events(${JSON.stringify(path.join(tb, 'events.out.tfevents.1700000000.host.1.0'))}, [
    (1, [("train/policy_loss", 0.5), ("train/reward", -0.25)]),
    (2, [("train/policy_loss", 0.125), ("train/reward", 0.5), ("train/kl", 0.0)]),
], torn_tail=True)
`);
    const out = path.join(dir, 'tb-metrics.json');
    const run = script('tensorboard_metrics.py', ['--dir', path.join(dir, 'tb'), '--out', out]);
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual({ train_kl: 0, train_policy_loss: 0.125, train_reward: 0.5, steps: 2 });
  });

  it("rl_train_args: the framework adapters' shared arguments, and the framework's own overrides after --", () => {
    const out = py(
      'import argparse, json\nfrom run_with_reward_server import rl_train_args\n' +
        'p = argparse.ArgumentParser()\np.add_argument("--batch-size", type=int, default=128)\n' +
        'a, extra = rl_train_args(p, ["--model", "m", "--rm", "r", "--queries", "q", "--scratch", "s", "--out", "o", ' +
        '"--batch-size", "4", "--", "trainer.save_freq=10", "--flag"])\n' +
        'print(json.dumps([a.model, a.batch_size, a.num_generations, a.port, extra]))',
    );
    expect(JSON.parse(out)).toEqual(['m', 4, 8, 8765, ['trainer.save_freq=10', '--flag']]);
  });

  it('write_scored: the scored rows as they came, and their count, mean and standard deviation of "rm"', () => {
    const out = path.join(dir, 'scored', 'scored.jsonl');
    const rows = '[{"id": "a", "rm": 1.0}, {"id": "b", "rm": 2.0}, {"id": "c", "rm": 3.0}]';
    const code = `from common import write_scored\nprint(write_scored(${JSON.stringify(out)}, iter(${rows})))`;
    expect(py(code).trim()).toBe('3');
    expect(
      readFileSync(out, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).id),
    ).toEqual(['a', 'b', 'c']);
    const metrics = JSON.parse(readFileSync(path.join(dir, 'scored', 'metrics.json'), 'utf8'));
    expect(metrics).toEqual({ samples: 3, rm_mean: 2, rm_std: expect.closeTo(Math.sqrt(2 / 3), 12) });
  });

  it('the OpenRLHF adapters refuse, before any work, options that would leave the stage without metrics.json', () => {
    const scratch = path.join(dir, 'openrlhf-scratch');
    for (const wandb of [['--use_wandb', 'sk-secret-key'], ['--use_wandb=sk-secret-key']]) {
      const args = ['--model', 'm', '--rm', 'r', '--queries', 'q.jsonl', '--scratch', scratch, '--out', path.join(dir, 'o')];
      const run = script('train_openrlhf.py', [...args, '--', '--max_samples', '10', ...wandb]);
      expect(run.status).toBe(1);
      expect(run.stderr.trim()).toBe(
        '--use_wandb after --: OpenRLHF then writes no TensorBoard events, which this stage reads its metrics from; ' +
          'leave it out (W&B can import the events folder, scratch/.../tb, afterwards)',
      );
      expect(run.stderr).not.toContain('sk-secret-key');
    }
    expect(existsSync(scratch)).toBe(false);
    expect(py('from openrlhf_io import checked_extra\nprint(checked_extra(["--max_samples", "10"]))').trim()).toBe(
      "['--max_samples', '10']",
    );
  });
});
