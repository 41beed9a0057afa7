// Renders a metric value for a stop reason ("0.9812", not "0.98120000000000001"): 4 decimals, exponent form when tiny or huge.
export function formatMetricValue(value: number): string {
  if (Number.isInteger(value) || !Number.isFinite(value)) return String(value);
  const size = Math.abs(value);
  return size >= 0.001 && size < 1e6 ? value.toFixed(4) : value.toExponential(3);
}
