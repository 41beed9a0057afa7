import path from 'node:path';

// Where a local absolute path lives on a host without a shared filesystem: the same path under the host's
// working directory (a mirror), so every copy is found again without a table, and two runs never collide.
export function remotePath(workdir: string, local: string): string {
  return path.posix.join(workdir, local);
}

// Rewrites every occurrence of a local root (the run folder, the recipe folder, an input) inside an argument or an
// environment value to its copy on the host. A root only matches as a whole path: at the start of the text or after
// "=", ":", ",", a space or a quote, and followed by the end, "/" or one of those; longer roots are tried first.
export function rewritePaths(text: string, roots: string[], workdir: string): string {
  const sorted = [...new Set(roots)].filter((root) => root.length > 1).sort((a, b) => b.length - a.length);
  if (sorted.length === 0) return text;
  const escaped = sorted.map((root) => root.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const pattern = new RegExp(`(?<=^|[=:,\\s'"])(?:${escaped.join('|')})(?=$|[/=:,\\s'"])`, 'g');
  return text.replace(pattern, (root) => remotePath(workdir, root));
}
