// The one normalization decontaminate and dedup share (docs/data/decontamination.md): Unicode NFKC (full-width
// digits and letters, ligatures and "…" become their plain forms), lower case, and LaTeX markup characters (`$`, `\`,
// `{`, `}`) turned into spaces, so "$\frac{1}{2}$" and "frac 1 2" read the same.
export function normalizeText(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[$\\{}]/g, ' ');
}
