// A `--metric` filter: one glob or several separated by commas (`eval.*,select.*`); `*` matches any run of
// characters (dots included), everything else matches itself; the whole name must match one of them. Without a
// pattern every name passes.
export function metricGlob(pattern: string | undefined): (name: string) => boolean {
  if (pattern === undefined) return () => true;
  const sources = pattern.split(',').map((glob) =>
    glob
      .trim()
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*'),
  );
  const re = new RegExp(`^(?:${sources.join('|')})$`);
  return (name) => re.test(name);
}
