import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { asciiTokens, emptyTokenRanges } from '../../../src/data/text/ascii-tokens.ts';
import { tokenize } from '../../../src/data/text/tokenize.ts';
import { seededRandom } from '../../helpers/data-dir.ts';

const FIXTURES = fileURLToPath(new URL('../../fixtures/data/gsm8k/', import.meta.url));

// The fast path's tokens as strings, lower-cased as normalization does.
function fastTokens(text: string): string[] | undefined {
  const ranges = asciiTokens(text, emptyTokenRanges());
  if (!ranges) return undefined;
  return Array.from({ length: ranges.count }, (_, k) => text.slice(ranges.starts[k], ranges.ends[k]).toLowerCase());
}

describe('the ASCII fast path of the tokenizer', () => {
  it('gives the tokens tokenize() gives on 5,000 random ASCII strings of every character class', () => {
    const random = seededRandom(13);
    const pieces = [
      'a',
      'Z',
      'q',
      '7',
      '0',
      '.',
      '..',
      '3.5',
      ' ',
      '\t',
      '\n',
      '\r',
      '\v',
      '\f',
      '$',
      '\\',
      '{',
      '}',
      ',',
      "'",
      '+',
      '\x00',
      '\x1c',
      '\x7f',
      '^',
    ];
    for (let n = 0; n < 5000; n++) {
      const text = Array.from({ length: Math.floor(random() * 30) }, () => pieces[Math.floor(random() * pieces.length)]).join('');
      expect(fastTokens(text)).toEqual(tokenize(text));
    }
  });

  it('gives the tokens tokenize() gives on the GSM8K fixture slices, and leaves text with any non-ASCII character to it', () => {
    let texts = 0;
    for (const file of readdirSync(FIXTURES).filter((f) => f.endsWith('.jsonl'))) {
      for (const line of readFileSync(`${FIXTURES}${file}`, 'utf8').split('\n').filter(Boolean)) {
        const text = (JSON.parse(line) as { question: string }).question;
        const fast = fastTokens(text);
        if (fast) expect(fast).toEqual(tokenize(text));
        else expect([...text].some((c) => c.charCodeAt(0) >= 128)).toBe(true);
        texts += 1;
      }
    }
    expect(texts).toBeGreaterThan(50);
    for (const text of ['ｆｕｌｌ １２', 'café', 'x ≤ 3', '3.٣', '12\u00a0apples', '芳买']) expect(fastTokens(text)).toBeUndefined();
  });
});
