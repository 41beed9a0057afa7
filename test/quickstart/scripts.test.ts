// The quickstart's training scripts, run for real (node on recipes/quickstart/*.mjs) in a temp dir:
// committed data = generator output, the SFT ⇄ RM loop really improves eval accuracy, select and grade
// do what the method says, and bad arguments exit 2.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const scripts = join(root, 'recipes/quickstart');
const data = join(scripts, 'data');
const ITERATIONS = 4;
const TOP_K = 2;

type Row = Record<string, unknown>;

// Runs one script with node and returns its stdout; throws (with stderr) when it exits non-zero.
function run(script: string, args: string[]): string {
  return execFileSync('node', [join(scripts, script), ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function readJsonl(path: string): Row[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Row);
}

function metrics(dir: string): Record<string, number> {
  return JSON.parse(readFileSync(join(dir, 'metrics.json'), 'utf8')) as Record<string, number>;
}

let work: string;
const accuracy: number[] = [];

// The recipe's stage sequence, with the recipe's arguments; stage seeds 7 + 100·iteration + stage index.
function runLoop(): void {
  const seed = (i: number, stage: number): string => String(7 + 100 * i + stage);
  const stage = (i: number, name: string): string => {
    const dir = join(work, `iter-${i}`, name);
    mkdirSync(dir, { recursive: true });
    return dir;
  };
  let sftData = join(data, 'sft-seed.jsonl');
  let model = '';
  for (let i = 0; i <= ITERATIONS; i += 1) {
    if (i > 0) {
      const sampleRm = stage(i, 'sample_rm');
      run('sample.mjs', [
        '--model',
        model,
        '--queries',
        join(data, 'rm-queries.jsonl'),
        '--n',
        '6',
        '--seed',
        seed(i, 1),
        '--out',
        join(sampleRm, 'samples.jsonl'),
      ]);
      const grade = stage(i, 'grade');
      run('grade.mjs', [
        '--queries',
        join(data, 'rm-queries.jsonl'),
        '--samples',
        join(sampleRm, 'samples.jsonl'),
        '--out',
        join(grade, 'graded.jsonl'),
      ]);
      const trainRm = stage(i, 'train_rm');
      run('train-rm.mjs', ['--data', join(grade, 'graded.jsonl'), '--seed', seed(i, 3), '--out', join(trainRm, 'rm.json')]);
      const sampleSft = stage(i, 'sample_sft');
      run('sample.mjs', [
        '--model',
        model,
        '--queries',
        join(data, 'labeled.jsonl'),
        '--queries',
        join(data, 'unlabeled.jsonl'),
        '--n',
        '8',
        '--seed',
        seed(i, 4),
        '--out',
        join(sampleSft, 'samples.jsonl'),
      ]);
      const score = stage(i, 'score');
      run('score.mjs', [
        '--rm',
        join(trainRm, 'rm.json'),
        '--samples',
        join(sampleSft, 'samples.jsonl'),
        '--out',
        join(score, 'scored.jsonl'),
      ]);
      const select = stage(i, 'select');
      run('select.mjs', [
        '--labeled',
        join(data, 'labeled.jsonl'),
        '--unlabeled',
        join(data, 'unlabeled.jsonl'),
        '--samples',
        join(score, 'scored.jsonl'),
        '--top-k',
        String(TOP_K),
        '--vote',
        'softmax',
        '--out',
        join(select, 'sft.jsonl'),
      ]);
      sftData = join(select, 'sft.jsonl');
    }
    const trainSft = stage(i, 'train_sft');
    run('train-sft.mjs', ['--data', sftData, '--out', join(trainSft, 'policy.json')]);
    model = join(trainSft, 'policy.json');
    const evalDir = stage(i, 'eval');
    run('eval.mjs', [
      '--model',
      model,
      '--queries',
      join(data, 'eval.jsonl'),
      '--seed',
      seed(i, 7),
      '--out',
      join(evalDir, 'predictions.jsonl'),
    ]);
    accuracy.push(metrics(evalDir).accuracy ?? Number.NaN);
  }
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'quickstart-'));
  runLoop();
}, 60_000);

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

describe('quickstart scripts', () => {
  it('generate.mjs reproduces the committed data byte for byte', () => {
    const out = join(work, 'generated');
    run('generate.mjs', ['--seed', '7', '--out', out]);
    const committed = readdirSync(data).sort();
    expect(readdirSync(out).sort()).toEqual(committed);
    for (const name of committed) expect(readFileSync(join(out, name), 'utf8'), name).toBe(readFileSync(join(data, name), 'utf8'));
    expect(readJsonl(join(data, 'unlabeled.jsonl')).every((r) => !('answer' in r))).toBe(true);
  });

  it('the loop raises eval accuracy every iteration, by a clear margin overall', () => {
    expect(accuracy).toHaveLength(ITERATIONS + 1);
    const first = accuracy[0] ?? Number.NaN;
    const last = accuracy[ITERATIONS] ?? Number.NaN;
    expect(first).toBeGreaterThanOrEqual(0.25);
    expect(first).toBeLessThanOrEqual(0.5);
    for (let i = 1; i <= ITERATIONS; i += 1) expect(accuracy[i], `iteration ${i}`).toBeGreaterThan(accuracy[i - 1] ?? Number.NaN);
    expect(last - first).toBeGreaterThan(0.2);
    expect(last).toBeGreaterThanOrEqual(0.8);
    // The recipe's stop rule (eval.accuracy >= 0.97) must not end the loop before iteration 4.
    expect(Math.max(...accuracy.slice(0, ITERATIONS))).toBeLessThan(0.97);
  });

  it('every script writes a flat metrics.json of finite numbers', () => {
    for (const name of ['sample_rm', 'grade', 'train_rm', 'sample_sft', 'score', 'select', 'train_sft', 'eval']) {
      const m = metrics(join(work, 'iter-1', name));
      expect(Object.keys(m).length, name).toBeGreaterThan(0);
      for (const v of Object.values(m)) expect(Number.isFinite(v), name).toBe(true);
    }
    const select = metrics(join(work, 'iter-1', 'select'));
    for (const key of ['kept', 'queries_kept', 'labeled_kept', 'unlabeled_kept', 'vote_margin', 'vote_accuracy'])
      expect(select).toHaveProperty(key);
  });

  it('select keeps, for labeled queries, only correct responses, at most top-k distinct per query', () => {
    const answers = new Map(readJsonl(join(data, 'labeled.jsonl')).map((q) => [q.id as string, q.answer as string]));
    const unlabeled = new Set(readJsonl(join(data, 'unlabeled.jsonl')).map((q) => q.id as string));
    for (let i = 1; i <= ITERATIONS; i += 1) {
      const dir = join(work, `iter-${i}`, 'select');
      const kept = readJsonl(join(dir, 'sft.jsonl'));
      const perQuery = new Map<string, string[]>();
      for (const row of kept) {
        const id = row.id as string;
        expect(Object.keys(row).sort()).toEqual(['id', 'question', 'response']);
        perQuery.set(id, [...(perQuery.get(id) ?? []), row.response as string]);
        const ref = answers.get(id);
        if (ref !== undefined) expect(row.response as string).toMatch(new RegExp(`The answer is ${ref}\\.$`));
        else expect(unlabeled.has(id)).toBe(true);
      }
      for (const responses of perQuery.values()) {
        expect(responses.length).toBeLessThanOrEqual(TOP_K);
        expect(new Set(responses).size).toBe(responses.length);
      }
      const m = metrics(dir);
      expect(m.kept).toBe(kept.length);
      expect((m.labeled_kept ?? 0) + (m.unlabeled_kept ?? 0)).toBe(kept.length);
    }
  });

  it('grade extracts the final answer from hand-written responses', () => {
    const dir = join(work, 'grade-check');
    mkdirSync(dir);
    const queries = [
      { id: 'a', question: 'What is 2 + 2?', answer: '4' },
      { id: 'b', question: 'What is 10 × 100?', answer: '1000' },
      { id: 'c', question: 'What is 9 - 2?', answer: '7' },
    ];
    const samples = [
      { id: 'a', response: 'Ones: 2 + 2 = 4. Write 4.\nThe answer is 4.' },
      { id: 'a', response: 'The answer is 5. Wait, no.\nThe answer is 4' }, // the last one counts
      { id: 'a', response: '2 + 2 = 4' }, // no final line
      { id: 'b', response: 'The answer is 1,000.' }, // thousands separator
      { id: 'b', response: 'the answer is 100.' },
      { id: 'c', response: 'So the answer is -7.' },
    ];
    writeFileSync(join(dir, 'q.jsonl'), queries.map((q) => JSON.stringify(q)).join('\n') + '\n');
    writeFileSync(join(dir, 's.jsonl'), samples.map((s) => JSON.stringify(s)).join('\n') + '\n');
    run('grade.mjs', ['--queries', join(dir, 'q.jsonl'), '--samples', join(dir, 's.jsonl'), '--out', join(dir, 'graded.jsonl')]);
    const graded = readJsonl(join(dir, 'graded.jsonl'));
    expect(graded.map((g) => g.pred)).toEqual(['4', '4', null, '1000', '100', '-7']);
    expect(graded.map((g) => g.correct)).toEqual([true, true, false, true, false, false]);
    expect(metrics(dir)).toMatchObject({ responses: 6, accuracy: 0.5 });
  });

  it('a bad argument exits 2 with a message on stderr', () => {
    const cases: string[][] = [
      ['select.mjs', '--labeled', 'x', '--unlabeled', 'y', '--samples', 'z', '--top-k', '2', '--vote', 'median', '--out', 'o'],
      [
        'sample.mjs',
        '--model',
        join(work, 'iter-0', 'train_sft', 'policy.json'),
        '--queries',
        join(data, 'eval.jsonl'),
        '--n',
        'many',
        '--seed',
        '1',
        '--out',
        join(work, 'x.jsonl'),
      ],
      ['train-sft.mjs', '--data', join(data, 'sft-seed.jsonl')],
      ['eval.mjs', '--bogus', '1'],
    ];
    for (const [script, ...args] of cases) {
      const res = spawnSync('node', [join(scripts, script ?? ''), ...args], { encoding: 'utf8' });
      expect(res.status, `${script} ${args.join(' ')}`).toBe(2);
      expect(res.stderr).toMatch(/usage:/);
    }
  });
});
