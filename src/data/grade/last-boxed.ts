// The content of the last `\boxed{…}` (or `\fbox{…}`) in a text, braces balanced; `\boxed 5` (no braces) gives the
// token after it. null when there is none or its braces never close.
export function lastBoxed(text: string): string | null {
  const at = Math.max(text.lastIndexOf('\\boxed'), text.lastIndexOf('\\fbox'));
  if (at === -1) return null;
  let i = at + (text.startsWith('\\boxed', at) ? 6 : 5);
  while (text[i] === ' ') i += 1;
  if (text[i] !== '{') {
    const token = /^[^\s$]+/.exec(text.slice(i));
    return token ? token[0] : null;
  }
  let depth = 0;
  for (let j = i; j < text.length; j++) {
    const c = text[j];
    if (c === '\\') {
      j += 1; // an escaped brace (\{ or \}) does not open or close
      continue;
    }
    if (c === '{') depth += 1;
    else if (c === '}') {
      depth -= 1;
      if (depth === 0) return text.slice(i + 1, j);
    }
  }
  return null;
}
