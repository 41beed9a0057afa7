import { normalizeText } from './normalize-text.ts';

// A token is one CJK ideograph, a run of other letters (with their combining marks), a number (digits with optional
// decimal parts: "3.5" is one token, "1,000" is three), or any other single non-space character ("+", "?", "'").
// (Built with `new RegExp` because the `v` flag's class subtraction is ES2024 and tsconfig targets ES2022.)
// biome-ignore lint/complexity/useRegexLiterals: a literal with the v flag does not compile for ES2022 (above).
const TOKEN = new RegExp(String.raw`\p{sc=Han}|[[\p{L}\p{M}]--\p{sc=Han}]+|\p{N}+(?:\.\p{N}+)*|[^\s\p{L}\p{M}\p{N}]`, 'gv');

// Splits already-normalized text into tokens (see TOKEN); Chinese has no spaces, so each ideograph stands alone.
export function tokenizeNormalized(text: string): string[] {
  return text.match(TOKEN) ?? [];
}

// Normalizes then tokenizes: the token sequence both the n-gram and LCS rules (and dedup's shingles) work on.
export function tokenize(text: string): string[] {
  return tokenizeNormalized(normalizeText(text));
}
