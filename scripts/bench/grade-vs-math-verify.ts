// `npm run bench -- grade-vs-math-verify`: loop's grader and Hugging Face's math-verify (PyPI, through its public
// API, in the project's Python venv) on the same equivalence suite (test/data/grade/, issue 16) and on GSM8K-style
// numeric answers: agreement with the expected verdicts and samples/s for each, start-up excluded for both (loop's
// engine is warmed before timing; math-verify is imported before its timed loop). The Python interpreter is
// $LOOP_PYTHON, else .venv/bin/python at the repository root. docs/performance.md records the figures.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { judgeResponse } from '../../src/data/grade/judge-response.ts';
import { symbolicEqual } from '../../src/data/grade/symbolic-equal.ts';
import { AGREEMENT_GOAL, loadEquivalenceSuite } from '../../test/data/grade/equivalence-suite.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const python = process.env.LOOP_PYTHON ?? path.join(root, '.venv/bin/python');
const GSM8K_ROWS = Number(process.env.BENCH_GSM8K_ROWS ?? 20_000);
const MV_GSM8K_ROWS = Number(process.env.BENCH_MV_GSM8K_ROWS ?? 2_000);

interface Case {
  gold: string;
  pred: string;
  expected?: boolean;
  source?: string;
  rule?: string;
}

// loop's verdicts and the best-of-repeats time of judging every case once (the engine warmed first).
// `first` is the first pass (cold JIT, as math-verify's single pass); `seconds` the best pass.
function runLoop(cases: Case[], minMs = 1500): { verdicts: boolean[]; seconds: number; first: number } {
  symbolicEqual('\\frac{x}{7}+\\frac{2}{7}', '\\frac{x+2}{7}');
  let verdicts: boolean[] = [];
  let best = Infinity;
  let first = 0;
  const started = performance.now();
  do {
    const t = performance.now();
    verdicts = cases.map((c) => judgeResponse(c.pred, c.gold, symbolicEqual));
    best = Math.min(best, (performance.now() - t) / 1000);
    if (first === 0) first = (performance.now() - t) / 1000;
    const again = cases.map((c) => judgeResponse(c.pred, c.gold, symbolicEqual));
    if (again.some((v, i) => v !== verdicts[i])) throw new Error('a verdict changed between two passes');
  } while (performance.now() - started < minMs);
  return { verdicts, seconds: best, first };
}

function runMathVerify(cases: Case[], repeat: number): { version: string; verdicts: boolean[]; seconds: number; first: number } {
  const script = path.join(root, 'scripts/bench/math_verify_suite.py');
  const result = spawnSync(python, [script], {
    input: JSON.stringify({ cases: cases.map(({ gold, pred }) => ({ gold, pred })), repeat }),
    maxBuffer: 1 << 28,
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`math-verify run failed (${python}): ${result.stderr.slice(-2000)}`);
  return JSON.parse(result.stdout);
}

// GSM8K-style responses: a few sentences of working and "#### N" or "The answer is N", references plain integers,
// a quarter of them wrong by one.
function gsm8kCases(n: number): Case[] {
  const cases: Case[] = [];
  let seed = 7;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  for (let i = 0; i < n; i++) {
    const a = Math.floor(rand() * 900) + 10;
    const b = Math.floor(rand() * 90) + 2;
    const answer = a * b;
    const said = i % 4 === 0 ? answer + 1 : answer;
    const tail = i % 2 === 0 ? `#### ${said}` : `The answer is ${said.toLocaleString('en-US')}.`;
    cases.push({
      gold: String(answer),
      pred: `She buys ${b} boxes of ${a} pencils each, so she has ${a} * ${b} = ${said} pencils.\n${tail}`,
      expected: said === answer,
    });
  }
  return cases;
}

const share = (verdicts: boolean[], cases: Case[]) => verdicts.filter((v, i) => v === cases[i]!.expected).length / cases.length;
const rate = (n: number, s: number) => (s > 0 ? n / s : Infinity);
const fmt = (x: number) => (x >= 1000 ? `${(x / 1000).toFixed(1)}k` : x.toFixed(0));

if (!existsSync(python)) {
  console.error(
    `grade-vs-math-verify: no Python at ${python}; create the venv (python -m venv .venv && .venv/bin/pip install ` +
      `math-verify) or set LOOP_PYTHON`,
  );
  process.exit(1);
}
const suite = loadEquivalenceSuite();
const gsm = gsm8kCases(GSM8K_ROWS);
const loopSuite = runLoop(suite);
const loopGsm = runLoop(gsm);
const mvSuite = runMathVerify(suite, 2);
const mvGsm = runMathVerify(gsm.slice(0, MV_GSM8K_ROWS), 2);

const loopSuiteRate = rate(suite.length, loopSuite.seconds);
const loopSuiteFirstRate = rate(suite.length, loopSuite.first);
const mvSuiteRate = rate(suite.length, mvSuite.seconds);
const loopGsmRate = rate(gsm.length, loopGsm.seconds);
const mvGsmRate = rate(MV_GSM8K_ROWS, mvGsm.seconds);
const loopAgree = share(loopSuite.verdicts, suite);
const mvAgree = share(mvSuite.verdicts, suite);

console.log(
  `suite: ${suite.length} cases (${suite.filter((c) => !c.source.startsWith('loop')).length} from public graders' test ` +
    `files); GSM8K-style: ${gsm.length} (math-verify: first ${MV_GSM8K_ROWS})`,
);
console.log(
  `math-verify ${mvSuite.version} (${python}); one thread each, start-up excluded; samples/s: the best of repeated passes ` +
    `(loop: passes for 1.5 s, math-verify: 2)`,
);
console.log('');
console.log('grader              agreement   suite samples/s   GSM8K samples/s   GSM8K agreement');
console.log(
  `loop                ${(100 * loopAgree).toFixed(1).padStart(8)}%   ${fmt(loopSuiteRate).padStart(15)}   ` +
    `${fmt(loopGsmRate).padStart(15)}   ${(100 * share(loopGsm.verdicts, gsm)).toFixed(1).padStart(14)}%`,
);
console.log(
  `math-verify         ${(100 * mvAgree).toFixed(1).padStart(8)}%   ${fmt(mvSuiteRate).padStart(15)}   ` +
    `${fmt(mvGsmRate).padStart(15)}   ${(100 * share(mvGsm.verdicts, gsm.slice(0, MV_GSM8K_ROWS))).toFixed(1).padStart(14)}%`,
);
console.log(
  `loop / math-verify  ${''.padStart(9)}   ${(loopSuiteRate / mvSuiteRate).toFixed(0).padStart(14)}×   ` +
    `${(loopGsmRate / mvGsmRate).toFixed(0).padStart(14)}×`,
);
const mvSuiteFirstRate = rate(suite.length, mvSuite.first);
console.log(
  `first passes (cold caches and JIT): loop ${fmt(loopSuiteFirstRate)}, math-verify ${fmt(mvSuiteFirstRate)} suite samples/s ` +
    `(${(loopSuiteFirstRate / mvSuiteFirstRate).toFixed(0)}×)`,
);
console.log('');
const bySource = new Map<string, [number, number, number]>();
suite.forEach((c, i) => {
  const key = c.source.split(/[@ ]/)[0]!;
  const row = bySource.get(key) ?? [0, 0, 0];
  row[0] += 1;
  if (loopSuite.verdicts[i] === c.expected) row[1] += 1;
  if (mvSuite.verdicts[i] === c.expected) row[2] += 1;
  bySource.set(key, row);
});
console.log('source                               cases   loop   math-verify');
for (const [key, [n, l, m]] of bySource)
  console.log(
    `${key.padEnd(36)} ${String(n).padStart(5)}   ${((100 * l) / n).toFixed(1).padStart(5)}%  ${((100 * m) / n).toFixed(1).padStart(5)}%`,
  );
console.log('');
const differ = suite.map((c, i) => ({ c, l: loopSuite.verdicts[i], m: mvSuite.verdicts[i] })).filter((x) => x.l !== x.m);
console.log(`cases where loop and math-verify disagree: ${differ.length}`);
for (const { c, l, m } of differ) {
  console.log(
    `  expected ${c.expected ? 'equal' : 'not equal'}; loop ` +
      `${l ? 'equal' : 'not equal'}${l === c.expected ? ' (right)' : ''}, math-verify ` +
      `${m ? 'equal' : 'not equal'}${m === c.expected ? ' (right)' : ''} — ${c.source} [${c.rule.slice(0, 60)}]`,
  );
  console.log(`    gold ${JSON.stringify(c.gold.slice(0, 100))}  pred ${JSON.stringify(c.pred.slice(-100))}`);
}
const goals = [
  [`agreement ≥ ${100 * AGREEMENT_GOAL}%`, loopAgree >= AGREEMENT_GOAL],
  ['agreement ≥ math-verify', loopAgree >= mvAgree],
  ['≥ 50× math-verify on the suite', loopSuiteRate >= 50 * mvSuiteRate],
  ['≥ 20k samples/s on GSM8K-style', loopGsmRate >= 20_000],
] as const;
console.log('');
console.log(`goals: ${goals.map(([name, met]) => `${name} (${met ? 'met' : 'NOT met'})`).join('; ')}`);
