// One metric compared across two iterations, as `loop diff A B --json` prints it.
export interface MetricComparison {
  name: string;
  left: number | null;
  right: number | null;
  delta: number | null;
  /** delta / |left|; null when left is 0 or missing. */
  relative: number | null;
  /** Whether right is better than left in the metric's direction; null when a side is missing or they are equal. */
  better: boolean | null;
}

export interface CompareOptions {
  /** Whether higher is better for a metric (the right run's recipe; default true). */
  higherIsBetter: (name: string) => boolean;
  /** Keep only names passing this filter (`--metric`). */
  include?: (name: string) => boolean;
  /** Listed first (the main metric); the rest sort by name. */
  first?: string;
}

// Every metric either side has, left and right values and how it moved; one-sided metrics stay, with null.
export function compareMetrics(left: Record<string, number>, right: Record<string, number>, options: CompareOptions): MetricComparison[] {
  const include = options.include ?? (() => true);
  const names = [...new Set([...Object.keys(left), ...Object.keys(right)])].filter(include).sort(byName(options.first));
  return names.map((name) => compareOne(name, left[name] ?? null, right[name] ?? null, options.higherIsBetter(name)));
}

export function compareOne(name: string, l: number | null, r: number | null, higherIsBetter: boolean): MetricComparison {
  if (l === null || r === null) return { name, left: l, right: r, delta: null, relative: null, better: null };
  const delta = clean(r - l);
  const relative = l === 0 ? null : clean(delta / Math.abs(l));
  const better = delta === 0 || Number.isNaN(delta) ? null : delta > 0 === higherIsBetter;
  return { name, left: l, right: r, delta, relative, better };
}

// Drops binary floating-point noise (0.5 - 0.4 = 0.09999999999999998 → 0.1): 12 significant digits.
export function clean(value: number): number {
  return Number.isFinite(value) ? Number(value.toPrecision(12)) : value;
}

function byName(first: string | undefined): (a: string, b: string) => number {
  return (a, b) => (a === first ? -1 : b === first ? 1 : a < b ? -1 : a > b ? 1 : 0);
}
