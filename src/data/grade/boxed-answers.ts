import { lastBoxed } from './last-boxed.ts';

// What may stand between two boxes that together make one answer: "\boxed{1}, \boxed{2}", "$\boxed{1}$ and
// $\boxed{2}$", "\boxed{1} \quad \text{or} \quad \boxed{2}". Anything else ("then", "but correcting:") means the
// last box replaces the earlier ones.
const JOINER_PARTS = [
  String.raw`\s`,
  ',',
  ';',
  String.raw`(?<!\$)\$(?!\$)`,
  String.raw`\\[()[\]]`,
  String.raw`\\q?quad`,
  String.raw`\\[,;! ]`,
  String.raw`\\text\{[^{}]*?\b(?:and|or)\s*\}`,
  String.raw`\\text\{\s*,?\s*\}`,
  String.raw`\band\b`,
  String.raw`\bor\b`,
  '&',
  String.raw`\\\\`,
  String.raw`\\(?![A-Za-z])`,
  String.raw`[A-Za-z](?:_\{?\w+\}?)?\s*=`,
];
const JOINER = new RegExp(`^(?:${JOINER_PARTS.join('|')})*$`);
const OPENERS = ['\\boxed', '\\fbox'];

// The last `\boxed{…}` of a text, together with the boxes just before it that only a joiner separates from it,
// joined with ", " (one answer given as several boxes). null when the text has no closed box.
export function boxedAnswer(text: string): string | null {
  const last = lastBoxed(text);
  if (last === null) return null;
  const parts = [last];
  let end = lastOpener(text, text.length);
  while (end > 0) {
    const before = text.slice(0, end);
    const start = lastOpener(before, before.length);
    if (start === -1) break;
    const content = lastBoxed(before.slice(0, closingOf(before, start) + 1));
    if (content === null) break;
    const gap = before.slice(closingOf(before, start) + 1);
    if (!JOINER.test(gap)) break;
    parts.unshift(content);
    end = start;
  }
  return parts.join(', ');
}

function lastOpener(text: string, before: number): number {
  return Math.max(...OPENERS.map((o) => text.lastIndexOf(o, before - 1)));
}

// Index of the brace closing the box opened at `start` (or of the end of a `\boxed 5` token); -1 when unclosed.
function closingOf(text: string, start: number): number {
  let i = start + (text.startsWith('\\boxed', start) ? 6 : 5);
  while (text[i] === ' ') i += 1;
  if (text[i] !== '{') {
    const token = /^[^\s$]+/.exec(text.slice(i));
    return token ? i + token[0].length - 1 : -1;
  }
  let depth = 0;
  for (let j = i; j < text.length; j++) {
    const c = text[j];
    if (c === '\\') {
      j += 1;
      continue;
    }
    if (c === '{') depth += 1;
    else if (c === '}' && --depth === 0) return j;
  }
  return -1;
}
