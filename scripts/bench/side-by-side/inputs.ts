// The inputs of the side-by-side data benchmark, made the same way on every run (fixed seeds).
import { once } from 'node:events';
import { createWriteStream, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { loadTestSet } from '../../../src/data/decontaminate/load-test-set.ts';

// Every test set under the shared data folder: GSM8K's, MATH's and each benchmark's under eval/, in a fixed order.
export function sharedTestSets(shared: string): string[] {
  return [
    path.join(shared, 'gsm8k/test.jsonl'),
    path.join(shared, 'math/test.jsonl'),
    ...readdirSync(path.join(shared, 'eval'))
      .sort()
      .map((d) => path.join(shared, 'eval', d, 'test.jsonl')),
  ];
}

function seeded(seed: number): () => number {
  let s = seed;
  return () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 4294967296;
}

// `count` test items spread over every test set, each renumbered (every number changed) and rewrapped (line breaks
// and doubled spaces where there were single spaces): contamination that copies a problem with other numbers.
export async function plantedCopies(tests: string[], count: number): Promise<string[]> {
  const texts = (await Promise.all(tests.map((t, i) => loadTestSet(t, i, 'auto', {})))).flatMap((s) => s.items.map((x) => x.text));
  const random = seeded(4242);
  const step = texts.length / count;
  return Array.from({ length: count }, (_, k) => {
    const text = texts[Math.floor(k * step)]!;
    let n = 0;
    return text
      .replace(/\d+/g, (d) => String(Number(d) + 1 + Math.floor(random() * 9)))
      .replace(/ /g, () => (++n % 7 === 0 ? '\n' : n % 5 === 0 ? '  ' : ' '));
  });
}

// `total` train items built from GSM8K train questions with every number redrawn and the first word swapped (the
// generator data-decontaminate.ts uses too): the same templates as GSM8K test, so the index and the LCS get real work.
export async function generatedTrain(gsm8kTrain: string, out: string, total: number): Promise<void> {
  const questions = readFileSync(gsm8kTrain, 'utf8')
    .trim()
    .split('\n')
    .map((l) => (JSON.parse(l) as { question: string }).question);
  const names = ['Ava', 'Ben', 'Chen', 'Dana', 'Eli', 'Fatima', 'Gus', 'Hana', 'Ivan', 'Jo', 'Kofi', 'Lena'];
  const random = seeded(777);
  const stream = createWriteStream(out);
  let chunk = '';
  for (let i = 0; i < total; i++) {
    const q = questions[i % questions.length]!.replace(/\d+/g, () => String(Math.floor(random() * 200))).replace(
      /^\w+/,
      names[Math.floor(random() * names.length)]!,
    );
    chunk += `${JSON.stringify({ id: `t${i}`, question: q })}\n`;
    if (chunk.length > 1 << 20) {
      if (!stream.write(chunk)) await once(stream, 'drain');
      chunk = '';
    }
  }
  stream.end(chunk);
  await once(stream, 'finish');
}

// `rows` texts of 150 words from a 5,000-word vocabulary, a share of them planted near-duplicates of an earlier text
// with one word changed (Jaccard of 5-token shingles ≈ 0.93) or with case and spacing changed (Jaccard 1). Returns
// the texts and the 1-based lines of the planted ones.
export function nearDuplicateSet(rows: number, share: number): { texts: string[]; planted: Set<number> } {
  const random = seeded(11);
  const vocabulary = Array.from({ length: 5000 }, () =>
    Array.from({ length: 3 + Math.floor(random() * 6) }, () => String.fromCharCode(97 + Math.floor(random() * 26))).join(''),
  );
  const texts: string[] = [];
  const planted = new Set<number>();
  for (let i = 0; i < rows; i++) {
    if (i > 10 && random() < share) {
      const words = texts[Math.floor(random() * i)]!.toLowerCase().split(/\s+/);
      if (random() < 0.8) words[Math.floor(random() * words.length)] = 'changed';
      texts.push(random() < 0.5 ? words.join(' ') : words.join('  ').toUpperCase());
      planted.add(i + 1);
    } else texts.push(Array.from({ length: 150 }, () => vocabulary[Math.floor(random() * vocabulary.length)]!).join(' '));
  }
  return { texts, planted };
}
