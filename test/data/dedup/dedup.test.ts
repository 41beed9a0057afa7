import { describe, expect, it } from 'vitest';
import { dedup, type DedupOptions } from '../../../src/data/dedup/dedup.ts';
import { lshParams } from '../../../src/data/dedup/lsh-params.ts';
import { createMinHasher, estimateJaccard } from '../../../src/data/dedup/minhash.ts';
import { createShingler, shingleHashes } from '../../../src/data/dedup/shingles.ts';
import { tokenize } from '../../../src/data/text/tokenize.ts';
import { useDataDir, seededRandom } from '../../helpers/data-dir.ts';

const data = useDataDir();
const random = seededRandom(11);
const letters = 'abcdefghijklmnopqrstuvwxyz';
const vocabulary = Array.from({ length: 3000 }, () =>
  Array.from({ length: 3 + Math.floor(random() * 6) }, () => letters[Math.floor(random() * 26)]).join(''),
);
const word = () => vocabulary[Math.floor(random() * vocabulary.length)]!;

// Exact Jaccard similarity of two texts' 5-token shingle sets: the quantity MinHash estimates.
function jaccard(a: string, b: string): number {
  const sa = new Set(createShingler(5)(a));
  const sb = new Set(createShingler(5)(b));
  let both = 0;
  for (const x of sa) if (sb.has(x)) both += 1;
  return both / (sa.size + sb.size - both);
}

function run(options: Partial<DedupOptions>) {
  return dedup({
    input: data.path('in.jsonl'),
    out: data.path('out.jsonl'),
    removed: data.path('removed.jsonl'),
    field: 'auto',
    threshold: 0.8,
    numPerm: 128,
    shingle: 5,
    ...options,
  });
}

describe('MinHash-LSH parts', () => {
  it("picks datasketch's bands at equal weights (9 × 13 for 0.8 and 128), and favours recall by default", () => {
    expect(lshParams(0.8, 128, 0.5)).toEqual({ bands: 9, rows: 13 });
    expect(lshParams(0.8, 128)).toEqual({ bands: 14, rows: 9 });
  });

  it('hashes the shingles of ASCII text (fast path) exactly as those of its tokens, and non-ASCII text through them', () => {
    const shingler = createShingler(5);
    const texts = [...vocabulary.slice(0, 40), 'One  Two\tTHREE 3.5 $x^2$ {a} b, c!', 'Ｆｕｌｌ width 12 and café au lait, 芳买 x ≤ 3', ''];
    for (let n = 0; n < texts.length; n++) {
      const text = n < 40 ? Array.from({ length: n }, (_, i) => texts[(i * 7) % 40]!.toUpperCase()).join(' ') : texts[n]!;
      expect(shingler(text)).toEqual(shingleHashes(tokenize(text), 5));
    }
  });

  it('estimates Jaccard similarity within sampling error', () => {
    const minhash = createMinHasher(256);
    const a = Uint32Array.from({ length: 300 }, (_, i) => i * 7919);
    const b = Uint32Array.from({ length: 300 }, (_, i) => (i + 100) * 7919);
    // |a ∩ b| = 200, |a ∪ b| = 400: Jaccard 0.5; the standard error with 256 permutations is about 0.03.
    expect(estimateJaccard(minhash(a), minhash(b))).toBeGreaterThan(0.4);
    expect(estimateJaccard(minhash(a), minhash(b))).toBeLessThan(0.6);
    expect(estimateJaccard(minhash(a), minhash(a))).toBe(1);
  });
});

describe('dedup', () => {
  // 200 made-up texts of 150 words; then, in shuffled order, 80 near-duplicates (one word changed: Jaccard ≥ 0.93),
  // 20 copies differing only in case and spacing (Jaccard 1), and 80 distant variants (every 12th word changed:
  // Jaccard between 0.3 and 0.6).
  const bases = Array.from({ length: 200 }, () => Array.from({ length: 150 }, word).join(' '));
  const variants: Array<{ text: string; of: number; duplicate: boolean }> = [];
  for (let i = 0; i < 80; i++) {
    const words = bases[i]!.split(' ');
    words[Math.floor(random() * 150)] = 'changed';
    variants.push({ text: words.join(' '), of: i, duplicate: true });
  }
  for (let i = 80; i < 100; i++) variants.push({ text: bases[i]!.toUpperCase().replace(/ /g, '   '), of: i, duplicate: true });
  for (let i = 100; i < 180; i++)
    variants.push({
      text: bases[i]!.split(' ')
        .map((w, k) => (k % 12 === 0 ? word() : w))
        .join(' '),
      of: i,
      duplicate: false,
    });
  variants.sort(() => random() - 0.5);
  const rows = [...bases.map((text, i) => ({ text, base: i })), ...variants.map((v) => ({ text: v.text, of: v.of }))];
  data.write('in.jsonl', rows);

  it('the made-up data has the similarities it claims', () => {
    for (const v of variants) {
      const j = jaccard(v.text, bases[v.of]!);
      if (v.duplicate) expect(j).toBeGreaterThanOrEqual(0.93);
      else expect([j > 0.3, j < 0.6]).toEqual([true, true]);
    }
    expect(jaccard(bases[0]!, bases[1]!)).toBeLessThan(0.05);
  });

  it('removes exactly the near-duplicates, each pointing at its original', async () => {
    const summary = await run({});
    const kept = data.read('out.jsonl');
    const removed = data.read('removed.jsonl');
    expect(removed).toHaveLength(100);
    for (const r of removed) {
      expect(r.duplicate_of_line).toBe(r.row.of + 1);
      expect(r.similarity).toBeGreaterThanOrEqual(0.8);
    }
    expect(kept).toHaveLength(280);
    expect(kept.filter((r) => 'base' in r)).toHaveLength(200);
    expect(summary).toMatchObject({
      rows: 380,
      kept: 280,
      removed: 100,
      lsh: { numPerm: 128, bands: 14, rows: 9, shingle: 5, threshold: 0.8 },
    });
  });

  it('a lower threshold also removes the distant variants', async () => {
    const summary = await run({ threshold: 0.2, removed: undefined });
    expect(summary.removed).toBe(180);
  });

  it('reads the named field, and stops at a row without it unless --skip-bad', async () => {
    data.write('f.jsonl', [{ q: 'one two three four five six' }, { q: 'ONE two three four five six' }, { other: 1 }]);
    await expect(run({ input: data.path('f.jsonl'), field: ['q'] })).rejects.toThrow('f.jsonl:3: no text field ("q")');
    const summary = await run({ input: data.path('f.jsonl'), field: ['q'], skipBad: true });
    expect(summary).toMatchObject({ rows: 3, kept: 1, removed: 1, missingField: 1 });
  });
});
