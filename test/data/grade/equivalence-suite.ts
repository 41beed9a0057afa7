import { readFileSync } from 'node:fs';
import { EQUIVALENCE_CASES } from './equivalence-cases.ts';

// One case of the equivalence suite: a reference (`gold`), a response or answer (`pred`), the verdict a careful
// grader gives, where the case comes from (repository@commit file:line, or loop's own table) and the rule it pins.
export interface SuiteCase {
  gold: string;
  pred: string;
  expected: boolean;
  source: string;
  rule: string;
  // Where loop decided against its source (docs/data.md, "Where the sources disagree").
  source_expected?: boolean;
  decision?: string;
}

const HERE = new URL('./', import.meta.url);

function readCases(name: string): SuiteCase[] {
  return readFileSync(new URL(name, HERE), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as SuiteCase);
}

// The whole suite: the cases collected from other graders' public test files (scripts/grade-suite/collect.py), the
// cases issue 16 lists, and loop's own table (test/data/grade/equivalence-cases.ts).
export function loadEquivalenceSuite(): SuiteCase[] {
  const own = EQUIVALENCE_CASES.map(
    ([pred, gold, expected, rule]): SuiteCase => ({
      gold,
      pred,
      expected,
      source: 'loop test/data/grade/equivalence-cases.ts',
      rule,
    }),
  );
  return [...readCases('equivalence-suite.jsonl'), ...readCases('issue-16-cases.jsonl'), ...own];
}

// The goal the suite holds the grader to (issue 16): share of cases whose verdict matches.
export const AGREEMENT_GOAL = 0.97;
