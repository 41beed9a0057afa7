// Elapsed time as users read it: 0.4s, 45s, 3m07s, 2h05m, 1d04h.
export function formatElapsed(ms: number): string {
  if (ms < 9_950) return `${(Math.max(0, ms) / 1000).toFixed(1)}s`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h}h${String(m % 60).padStart(2, '0')}m`;
  return `${Math.floor(h / 24)}d${String(h % 24).padStart(2, '0')}h`;
}

// A metric value with four significant decimals at most, integers as they are.
export function formatMetric(value: number | undefined): string {
  if (value === undefined) return '—';
  if (Number.isInteger(value)) return String(value);
  return Number(value.toFixed(4)).toString();
}

// An argument list shown as a shell would need it, for reading only (stages never run through a shell).
export function shellQuote(argv: string[]): string {
  const safe = (arg: string) => /^[A-Za-z0-9_@%+=:,./-]+$/.test(arg.replace(/\{\{[^}]*\}\}/g, 'x'));
  return argv.map((arg) => (safe(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`)).join(' ');
}
