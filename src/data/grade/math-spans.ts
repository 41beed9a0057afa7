// The content of the last math span of a text: `$$…$$`, `\[…\]`, `$…$` or `\(…\)` (inline spans do not cross a
// line, as in LaTeX). A `$` followed by a digit and closed by a `$` that is followed by a digit is a price, not math.
// null when there is none.
export function lastMathSpan(text: string): { content: string; at: number; length: number } | null {
  let best: { at: number; content: string; length: number } | null = null;
  const consider = (at: number, content: string, length: number) => {
    if (content.trim() === '') return;
    if (best === null || at > best.at) best = { at, content, length };
  };
  for (const m of text.matchAll(/\$\$([\s\S]+?)\$\$|\\\[([\s\S]+?)\\\]/g)) consider(m.index, (m[1] ?? m[2])!, m[0].length);
  for (const m of text.matchAll(/\\\((.+?)\\\)/g)) consider(m.index, m[1]!, m[0].length);
  const inline = /(?<![\\$])\$(?!\$)((?:\\\$|[^$\n])+?)(?<!\\)\$(?!\$)/g;
  for (let m = inline.exec(text); m !== null; m = inline.exec(text)) {
    const after = text[m.index + m[0].length];
    if (after !== undefined && /\d/.test(after)) {
      inline.lastIndex = m.index + m[0].length - 1; // that closing `$` opens the next price or span
      continue;
    }
    consider(m.index, m[1]!, m[0].length);
  }
  return best;
}
