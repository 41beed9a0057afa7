import { describe, expect, it } from 'vitest';
import { normalizeText } from '../../../src/data/text/normalize-text.ts';
import { tokenize } from '../../../src/data/text/tokenize.ts';
import { parseFieldSpec, readTextField } from '../../../src/data/text/read-text-field.ts';

describe('normalizeText and tokenize', () => {
  it('folds case and Unicode compatibility forms, and drops LaTeX markup characters', () => {
    expect(normalizeText('Ｘ＝１２ … $\\frac{1}{2}$')).toBe('x=12 ...   frac 1  2  ');
  });

  it('splits words, numbers (with decimals), single symbols and single CJK ideographs', () => {
    expect(tokenize("Krista's bank: 3.5 cents, 1,000 x^2 芳芳买了")).toEqual([
      'krista',
      "'",
      's',
      'bank',
      ':',
      '3.5',
      'cents',
      ',',
      '1',
      ',',
      '000',
      'x',
      '^',
      '2',
      '芳',
      '芳',
      '买',
      '了',
    ]);
  });

  it('reads the same tokens from LaTeX and plain forms of a fraction', () => {
    expect(tokenize('$\\frac{3}{4}$')).toEqual(tokenize('frac 3 4'));
  });

  it('reads one or several fields', () => {
    expect(readTextField({ Body: 'There are 3 apples.', Question: 'How many?' }, parseFieldSpec('Body+Question'))).toBe(
      'There are 3 apples. How many?',
    );
    expect(readTextField({ question: 'q', body: null }, ['body', 'question'])).toBe('q');
    expect(readTextField({ question: 7 }, ['question'])).toBe('7');
    expect(readTextField({ other: 'x' }, ['question'])).toBeUndefined();
  });
});
