import { describe, expect, it } from 'vitest';
import { parseTemplate, renderTemplate, PlaceholderSyntaxError } from '../../src/recipe/placeholders.ts';

const hostile = [
  '; rm -rf /tmp/x',
  '$(touch /tmp/pwned)',
  '`id`',
  `it's "quoted"`,
  'two  spaces and\na newline',
  '{{ out }}',
  '*.jsonl',
  '--flag=value',
];

describe('placeholders', () => {
  it('splits literal text from placeholders with their alternatives', () => {
    expect(parseTemplate('--data={{ select.data ?? inputs.sft }}/x')).toEqual([
      '--data=',
      {
        start: 7,
        end: 38,
        alternatives: [
          ['select', 'data'],
          ['inputs', 'sft'],
        ],
      },
      '/x',
    ]);
  });

  it.each(hostile)('substitutes %j as one unchanged piece of the argument, never re-read', (value) => {
    expect(renderTemplate('{{ vars.v }}', () => value)).toBe(value);
    expect(renderTemplate('pre-{{ vars.v }}-post', () => value)).toBe(`pre-${value}-post`);
  });

  it('takes the first alternative that has a value', () => {
    const values: Record<string, string> = { 'inputs.sft': '/data/sft.jsonl' };
    expect(renderTemplate('{{ select.data ?? inputs.sft }}', (ref) => values[ref.join('.')])).toBe('/data/sft.jsonl');
  });

  it('fails when no alternative has a value', () => {
    expect(() => renderTemplate('{{ select.data }}', () => undefined)).toThrow('placeholder {{ select.data }} has no value yet');
  });

  it.each([
    ['{{ out', 0, '"{{" is not closed'],
    ['a {{ }}', 2, 'an empty name is not a placeholder name'],
    ['{{ out ?? }}', 0, 'an empty name is not a placeholder name after "??"'],
    ['{{ $(id) }}', 0, '"$(id)" is not a placeholder name'],
  ])('rejects %j at offset %i', (text, offset, message) => {
    try {
      parseTemplate(text);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(PlaceholderSyntaxError);
      expect((error as PlaceholderSyntaxError).offset).toBe(offset);
      expect((error as Error).message).toContain(message);
    }
  });
});
