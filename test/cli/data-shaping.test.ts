import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers/run-cli.ts';
import { useDataDir } from '../helpers/data-dir.ts';

const data = useDataDir();
const COMMANDS = ['rm-data', 'rl-filter', 'reward', 'decontaminate', 'dedup'];

// Graded samples: q1 has 3 correct of 6, q2 6 of 6.
const SAMPLES = [
  ...[1, 0, 1, 0, 1, 0].map((c, i) => ({ id: 'q1', question: 'What is 1+1?', response: `r${i}`, correct: c === 1, rm: i - 2 })),
  ...[1, 1, 1, 1, 1, 1].map((_, i) => ({ id: 'q2', question: 'What is 2+2?', response: `s${i}`, correct: true, rm: i })),
];

describe('loop data rm-data | rl-filter | reward | decontaminate | dedup (the commands)', () => {
  it.each(COMMANDS)('%s --help prints usage and exits 0', (command) => {
    const r = runCli(['data', command, '--help'], { cwd: data.dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^Usage: loop data ${command}`));
  });

  it('each command runs end to end with --json, writes its output, and prints nothing on stderr off a terminal', () => {
    data.write('s.jsonl', SAMPLES);
    data.write('bench.jsonl', [{ problem: 'What is 1+1? Give the answer as a number, then explain it to a friend.' }]);
    data.write('train.jsonl', [
      { question: 'What is 1+1? Give the answer as a number, then explain it to a friend!' },
      { question: 'Name a prime.' },
    ]);
    const runs: Array<[string[], string, number]> = [
      [['rm-data', '--samples', 's.jsonl', '--group', '6', '--out', 'rm.jsonl'], 'rm.jsonl', 1],
      [['rl-filter', '--samples', 's.jsonl', '--min', '2', '--max', '5', '--out', 'rl.jsonl'], 'rl.jsonl', 1],
      [['reward', '--samples', 's.jsonl', '--alpha', '0.5', '--out', 'rw.jsonl'], 'rw.jsonl', 12],
      [
        ['decontaminate', '--train', 'train.jsonl', '--test', 'bench.jsonl', '--out', 'clean.jsonl', '--removed', 'removed.jsonl'],
        'clean.jsonl',
        1,
      ],
      [['dedup', '--in', 's.jsonl', '--field', 'question', '--out', 'dd.jsonl'], 'dd.jsonl', 2],
    ];
    for (const [args, out, rows] of runs) {
      const r = runCli(['data', ...args, '--json'], { cwd: data.dir });
      expect([args[0], r.code, r.stderr]).toEqual([args[0], 0, '']);
      expect(() => JSON.parse(r.stdout)).not.toThrow();
      expect([args[0], data.read(out).length]).toEqual([args[0], rows]);
    }
    expect(data.read('rm.jsonl')[0]).toEqual({
      id: 'q1',
      question: 'What is 1+1?',
      responses: ['r0', 'r1', 'r2', 'r3', 'r4', 'r5'],
      labels: [1, 0, 1, 0, 1, 0],
    });
    expect(data.read('removed.jsonl')[0].matches[0]).toMatchObject({ rule: 'ngram', test_set: 'bench', test_line: 1 });
  });

  it('prints a human summary without --json', () => {
    data.write('s.jsonl', SAMPLES);
    const r = runCli(['data', 'rl-filter', '--samples', 's.jsonl', '--out', 'rl.jsonl'], { cwd: data.dir });
    expect(r.stdout).toBe(
      'kept 1 of 2 queries with 2..5 correct (0 below, 1 above)\ncorrect samples per query (count:queries): 3:1 6:1\n12 samples, 6..6 ' +
        'per query\n',
    );
  });

  it("rl-filter --metrics writes the counts as a flat metrics.json (the rl_filter stage's metrics)", () => {
    data.write('s.jsonl', SAMPLES);
    const r = runCli(['data', 'rl-filter', '--samples', 's.jsonl', '--out', 'rl.jsonl', '--metrics', 'm.json'], { cwd: data.dir });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(data.dir, 'm.json'), 'utf8'))).toEqual({
      queries: 2,
      kept: 1,
      kept_share: 0.5,
      too_few: 0,
      too_many: 1,
      without_samples: 0,
      samples: 12,
      bad: 0,
    });
  });

  it('a malformed line: exit 7, file and line, no stack trace, no output file; --skip-bad counts it', () => {
    data.write('bad.jsonl', [SAMPLES[0]!, '{"id": "q1", "response": ', SAMPLES[1]!]);
    const r = runCli(['data', 'reward', '--samples', 'bad.jsonl', '--out', 'never.jsonl'], { cwd: data.dir });
    expect(r.code).toBe(7);
    expect(r.stderr).toMatch(
      /^loop: .*bad\.jsonl:2: malformed line \(.*\); fix the line, or pass --skip-bad to skip and count such lines\n$/,
    );
    expect(() => data.read('never.jsonl')).toThrow();
    const ok = runCli(['data', 'reward', '--samples', 'bad.jsonl', '--out', 'rw.jsonl', '--skip-bad'], { cwd: data.dir });
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('skipped 1 malformed lines');
  });

  it('bad flags are usage errors (exit 2) and a missing input is a data error (exit 7)', () => {
    const cases: Array<[string[], number, string]> = [
      [['rl-filter', '--samples', 's.jsonl', '--out', 'o', '--min', '6', '--max', '5'], 2, '--min 6 is above --max 5'],
      [['rm-data', '--samples', 's.jsonl', '--out', 'o', '--group', '1'], 2, '--group must be an integer ≥ 2, got "1"'],
      [['dedup', '--in', 's.jsonl', '--out', 'o', '--threshold', '2'], 2, '--threshold must be a number ≥ 0.01 and ≤ 1, got "2"'],
      [['decontaminate', '--train', 's.jsonl', '--out', 'o'], 2, 'needs at least one --test FILE'],
      [['reward', '--out', 'o'], 2, 'loop data reward needs --samples'],
      [['reward', '--samples', 'nothere.jsonl', '--out', 'o'], 7, '--samples: no file at'],
      [['reward', '--samples', 's.jsonl', '--out', 'o', '--frob'], 2, "Unknown option '--frob'"],
    ];
    for (const [args, code, message] of cases) {
      const r = runCli(['data', ...args], { cwd: data.dir });
      expect([args.join(' '), r.code]).toEqual([args.join(' '), code]);
      expect(r.stderr).toContain(message);
      expect(r.stderr).not.toContain('    at ');
    }
  });
});
