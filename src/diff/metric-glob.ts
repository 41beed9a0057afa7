// A `--metric` filter: `*` matches any run of characters (dots included), everything else matches itself;
// the whole name must match. Without a pattern every name passes.
export function metricGlob(pattern: string | undefined): (name: string) => boolean {
  if (pattern === undefined) return () => true;
  const source = pattern
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  const re = new RegExp(`^${source}$`);
  return (name) => re.test(name);
}
