const BARS = '▁▂▃▄▅▆▇█';
const GAP = '·';

// One character per value, scaled to the row's own min and max; a missing value is a dot, a flat row sits mid-height.
export function sparkline(values: (number | null)[]): string {
  const present = values.filter((v): v is number => v !== null && Number.isFinite(v));
  if (present.length === 0) return GAP.repeat(values.length);
  const min = present.reduce((a, b) => Math.min(a, b));
  const max = present.reduce((a, b) => Math.max(a, b));
  return values
    .map((v) => {
      if (v === null || !Number.isFinite(v)) return GAP;
      if (max === min) return BARS[3]!;
      return BARS[Math.round(((v - min) / (max - min)) * (BARS.length - 1))]!;
    })
    .join('');
}
