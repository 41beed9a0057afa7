import { describe, expect, it } from 'vitest';
import { decontaminate, type DecontaminateOptions } from '../../../src/data/decontaminate/decontaminate.ts';
import { DEFAULT_SETTINGS } from '../../../src/data/decontaminate/settings.ts';
import { tokenize } from '../../../src/data/text/tokenize.ts';
import { lcsLength, lcsRatioOf } from '../../../src/data/decontaminate/lcs-length.ts';
import { useDataDir } from '../../helpers/data-dir.ts';

const data = useDataDir();

// The two cases docs/method.md says the LCS filter must catch, verbatim.
const METHOD_CASES = [
  {
    train: 'What is the remainder when 1+2+3+4+⋯+9+10 is divided by 8?',
    test: 'What is the remainder when 1+2+3+4+⋯+9+10 is divided by 9?',
  },
  {
    train:
      'Krista put 2 cents into her new bank on a Sunday morning. On Monday she put 3 cents into her bank. ' + 'On Tuesday she put 5 cents…',
    test: 'Krista put 1 cent into her new bank on a Sunday morning. On Monday she put 2 cents into her bank. On Tuesday she put 4 cents…',
  },
];
const UNRELATED = [
  'A train leaves the station at 3 pm travelling at 60 miles per hour. When does it reach a town 150 miles away?',
  'Find all real x such that x^2 - 5x + 6 = 0.',
];

function run(options: Partial<Omit<DecontaminateOptions, 'settings'>> & { settings?: Partial<DecontaminateOptions['settings']> }) {
  return decontaminate({
    train: data.path('train.jsonl'),
    tests: [data.path('method.jsonl')],
    field: ['question'],
    testField: 'auto',
    out: data.path('clean.jsonl'),
    removed: data.path('removed.jsonl'),
    workers: 0,
    ...options,
    settings: { ...DEFAULT_SETTINGS, ...options.settings },
  });
}

describe('decontaminate', () => {
  data.write('method.jsonl', [
    ...METHOD_CASES.map((c, i) => ({ id: `m${i}`, problem: c.test })),
    { id: 'other', problem: 'How many primes are below 20?' },
  ]);
  data.write('train.jsonl', [
    { question: UNRELATED[0], keep: 1 },
    { question: METHOD_CASES[0]!.train, answer: '7' },
    { question: UNRELATED[1], keep: 2 },
    { question: METHOD_CASES[1]!.train },
  ]);

  it("the method's two examples are near-duplicates by the documented LCS ratio", () => {
    for (const c of METHOD_CASES) {
      const vocab = new Map<string, number>();
      const ids = (text: string) => tokenize(text).map((t) => vocab.get(t) ?? vocab.set(t, vocab.size).size - 1);
      const [a, b] = [ids(c.train), ids(c.test)];
      const ratio = lcsRatioOf(lcsLength(a, b), a.length, b.length);
      expect(ratio).toBeGreaterThanOrEqual(0.85);
    }
  });

  it('the LCS rule alone (--ngram 0) catches both examples of method.md and keeps unrelated items', async () => {
    const summary = await run({ settings: { ngram: 0 } });
    expect(data.read('clean.jsonl')).toEqual([
      { question: UNRELATED[0], keep: 1 },
      { question: UNRELATED[1], keep: 2 },
    ]);
    const removed = data.read('removed.jsonl');
    expect(removed.map((r) => [r.train_line, r.rule, r.matches[0].test_line, r.matches[0].test_id])).toEqual([
      [2, 'lcs', 1, 'm0'],
      [4, 'lcs', 2, 'm1'],
    ]);
    expect(removed[0].matches[0].lcs_ratio).toBeGreaterThan(0.9);
    expect(removed[0].matches[0].test_set).toBe('method');
    expect(removed[0].matches[0].test_text).toBe(METHOD_CASES[0]!.test);
    expect(removed[0].row).toEqual({ question: METHOD_CASES[0]!.train, answer: '7' });
    expect(summary.train).toMatchObject({ rows: 4, kept: 2, removed: 2 });
    expect(summary.testSets).toEqual([
      { name: 'method', file: data.path('method.jsonl'), items: 3, skipped: 0, removed: 2, ngram: 0, lcs: 2 },
    ]);
  });

  it('with both rules, the n-gram rule reports the shared 13 tokens first and LCS second', async () => {
    const summary = await run({});
    const removed = data.read('removed.jsonl');
    expect(removed.map((r) => r.rule)).toEqual(['ngram', 'ngram']);
    expect(removed[1].matches.map((m: { rule: string }) => m.rule)).toEqual(['ngram', 'lcs']);
    const gram = removed[1].matches[0].ngram.split(' ');
    expect(gram).toHaveLength(13);
    expect(tokenize(METHOD_CASES[1]!.test).join(' ')).toContain(gram.join(' '));
    expect(summary.rules).toEqual({ ngram: 2, lcs: 2, both: 2 });
  });

  it('the n-gram rule alone needs 13 shared tokens in a row: one differing token in every 12 escapes it', async () => {
    const letters = 'abcdefghijklmnopqrstuvwxyz';
    const words = Array.from({ length: 40 }, (_, i) => `w${letters[i % 26]}${letters[Math.floor(i / 26)]}`);
    const test = words.join(' ');
    const nearly = words.map((w, i) => (i % 12 === 11 ? 'x' : w)).join(' ');
    const thirteen = words.map((w, i) => (i > 13 ? 'y' : w)).join(' ');
    data.write('t2.jsonl', [{ question: test }]);
    data.write('train2.jsonl', [{ question: nearly }, { question: thirteen }]);
    const summary = await run({ train: data.path('train2.jsonl'), tests: [data.path('t2.jsonl')], settings: { lcs: 0 } });
    expect(summary.rules).toEqual({ ngram: 1, lcs: 0, both: 0 });
    expect(data.read('removed.jsonl')[0].row.question).toBe(thirteen);
  });

  it('worker threads give the same output as one thread', async () => {
    await run({ workers: 0 });
    const single = [data.read('clean.jsonl'), data.read('removed.jsonl')];
    await run({ workers: 2 });
    expect([data.read('clean.jsonl'), data.read('removed.jsonl')]).toEqual(single);
  });

  it('names test sets NAME=path or after their folder, and summarizes each', async () => {
    data.write('aime/test.jsonl', []);
    const summary = await run({ tests: [`mine=${data.path('method.jsonl')}`, data.path('aime/test.jsonl')] });
    expect(summary.testSets.map((s: { name: string; items: number }) => [s.name, s.items])).toEqual([
      ['mine', 3],
      ['aime', 0],
    ]);
  });

  it('stops at a train row without the field, naming file and line; --skip-bad counts it', async () => {
    data.write('train3.jsonl', [{ question: UNRELATED[0] }, { prompt: 'no question here' }, 'not json']);
    data.write('train4.jsonl', [{ question: UNRELATED[0] }, { prompt: 'no question here' }]);
    await expect(run({ train: data.path('train4.jsonl') })).rejects.toThrow(
      `${data.path('train4.jsonl')}:2: no "question" field to check; name the text field with --field`,
    );
    await expect(run({ train: data.path('train3.jsonl') })).rejects.toThrow(`${data.path('train3.jsonl')}:3: malformed line`);
    const summary = await run({ train: data.path('train3.jsonl'), skipBad: true });
    expect(summary.train).toMatchObject({ rows: 2, bad: 1, missingField: 1, kept: 1, removed: 0 });
  });
});
