import { describe, expect, it } from 'vitest';
import { checkTir, isTirResponse, normalizeOutput, parseTir, runTirCode } from '../../../src/data/tir/index.ts';

const FENCE = '```';
const response = (...parts: string[]) => parts.join('\n');
const py = (code: string) => `${FENCE}python\n${code}\n${FENCE}`;
const out = (text: string) => `${FENCE}output\n${text}\n${FENCE}`;

// A TIR response as Qwen2.5-Math writes them: two steps sharing state, then the boxed answer.
const GOOD = response(
  'Let me compute the sum with Python.',
  py('from sympy import Rational\nx = Rational(1, 3) + Rational(1, 6)\nprint(x)'),
  out('1/2'),
  'Now double it.',
  py('print(2 * x)'),
  out('1'),
  'So the answer is $\\boxed{1}$.',
);

describe('parseTir', () => {
  it('pairs each python block with the output block right after it, and keeps the tail', () => {
    const parsed = parseTir(GOOD);
    expect(parsed.steps.map((s) => [s.code, s.output])).toEqual([
      ['from sympy import Rational\nx = Rational(1, 3) + Rational(1, 6)\nprint(x)', '1/2'],
      ['print(2 * x)', '1'],
    ]);
    expect(parsed.tail.trim()).toBe('So the answer is $\\boxed{1}$.');
    expect(GOOD.slice(parsed.steps[1]!.start)).toMatch(/^```python\nprint\(2 \* x\)/);
  });

  it('a python block without an output block right after it has output null; other fences are ignored', () => {
    const parsed = parseTir(response(py('print(1)'), 'text between', out('1'), `${FENCE}text\nnot code\n${FENCE}`, py('y = 2')));
    expect(parsed.steps.map((s) => s.output)).toEqual([null, null]);
    expect(isTirResponse('The answer is 3.')).toBe(false);
    expect(parseTir('no code').tail).toBe('no code');
  });
});

const python = { python: 'python3' };

describe('runTirCode and checkTir (real python3 subprocesses)', () => {
  it('a response whose stated outputs are right is consistent; state carries from block to block', async () => {
    const check = await checkTir(GOOD.replace('from sympy import Rational\n', 'from fractions import Fraction as Rational\n'), python);
    expect(check).toMatchObject({ steps: 2, checked: 2, consistent: true, mismatches: [] });
  });

  it('a made-up output is caught, with what the code really prints', async () => {
    const check = await checkTir(response(py('print(sum(range(10)))'), out('46')), python);
    expect(check.consistent).toBe(false);
    expect(check.mismatches).toEqual([{ step: 0, stated: '46', actual: '45' }]);
  });

  it('an exception is part of the output, as a notebook shows it', async () => {
    const check = await checkTir(response(py('print("a")\n1/0'), out('a\nZeroDivisionError: division by zero')), python);
    expect(check.consistent).toBe(true);
  });

  it('stops a block that runs past the time limit, and says so', async () => {
    const started = Date.now();
    const run = await runTirCode(['while True:\n    pass'], { ...python, timeoutMs: 1500 });
    expect(run.timedOut || /CPU-time/.test(run.failure ?? '')).toBe(true);
    expect(run.failure).toBeTruthy();
    expect(Date.now() - started).toBeLessThan(10_000);
    const check = await checkTir(response(py('import time\ntime.sleep(30)'), out('')), { ...python, timeoutMs: 800 });
    expect(check.consistent).toBe(false);
    expect(check.execution!.timedOut).toBe(true);
  });

  it('refuses memory past the limit (MemoryError), and keeps the blocks before it', async () => {
    const run = await runTirCode(['print("before")', 'x = bytearray(400 * 1024 * 1024)', 'print("after")'], { ...python, memoryMb: 200 });
    expect(run.memoryExceeded).toBe(true);
    expect(run.results.map((r) => r.stdout)).toEqual(['before\n', '']);
  });

  it('gives the code an empty scratch folder and no secret from the environment', async () => {
    process.env.HF_TOKEN = 'hf_secret_for_the_test';
    try {
      const run = await runTirCode(['import os\nprint(os.listdir("."), "HF_TOKEN" in os.environ)'], python);
      expect(run.results[0]!.stdout.trim()).toBe('[] False');
    } finally {
      delete process.env.HF_TOKEN;
    }
  });

  it('a missing interpreter is a failure in the result, not an exception', async () => {
    const run = await runTirCode(['print(1)'], { python: '/nonexistent/python3' });
    expect(run.failure).toMatch(/could not start \/nonexistent\/python3/);
    expect(run.results).toEqual([]);
  });

  it('normalizes outputs the way a notebook displays them', () => {
    expect(normalizeOutput('\n  1/2   \r\n\n')).toBe('1/2');
  });
});
