import { LoopError } from '../errors/loop-error.ts';

// `{{ a.b ?? c }}` inside one command argument: the first alternative that resolves wins.
export interface Placeholder {
  /** Offsets of `{{` and just past `}}` in the argument. */
  start: number;
  end: number;
  alternatives: string[][];
}

export type TemplatePart = string | Placeholder;

const REF = /^[A-Za-z_][A-Za-z0-9_-]*(\.[A-Za-z_][A-Za-z0-9_-]*)*$/;

// Thrown for a malformed placeholder; `offset` is its column within the argument.
export class PlaceholderSyntaxError extends LoopError {
  readonly offset: number;

  constructor(message: string, offset: number) {
    super('E_RECIPE', message);
    this.offset = offset;
  }
}

// Splits an argument into literal text and placeholders; literal text is never interpreted further.
export function parseTemplate(text: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let at = 0;
  while (at < text.length) {
    const open = text.indexOf('{{', at);
    if (open < 0) {
      parts.push(text.slice(at));
      break;
    }
    if (open > at) parts.push(text.slice(at, open));
    const close = text.indexOf('}}', open + 2);
    if (close < 0) throw new PlaceholderSyntaxError('"{{" is not closed: end the placeholder with "}}"', open);
    const body = text.slice(open + 2, close);
    const alternatives = body.split('??').map((alt) => alt.trim());
    alternatives.forEach((alt, i) => {
      if (!REF.test(alt)) {
        const what = alt === '' ? 'an empty name' : `"${alt}"`;
        throw new PlaceholderSyntaxError(
          `${what} is not a placeholder name${i > 0 ? ' after "??"' : ''}: write e.g. {{ inputs.sft }}, {{ train_sft.model }} or {{ ` +
            `select.data ?? inputs.sft }}`,
          open,
        );
      }
    });
    parts.push({ start: open, end: close + 2, alternatives: alternatives.map((a) => a.split('.')) });
    at = close + 2;
  }
  return parts;
}

// Substitutes each placeholder by the first alternative `resolve` knows; the result is one argument, whatever it holds.
export function renderTemplate(text: string, resolve: (ref: string[]) => string | undefined): string {
  return parseTemplate(text)
    .map((part) => {
      if (typeof part === 'string') return part;
      for (const ref of part.alternatives) {
        const value = resolve(ref);
        if (value !== undefined) return value;
      }
      const names = part.alternatives.map((r) => r.join('.')).join(' ?? ');
      throw new LoopError('E_RECIPE', `placeholder {{ ${names} }} has no value yet`);
    })
    .join('');
}

// Names a placeholder's alternatives back as the user wrote them.
export function placeholderText(p: Placeholder): string {
  return `{{ ${p.alternatives.map((r) => r.join('.')).join(' ?? ')} }}`;
}
