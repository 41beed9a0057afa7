import { readFileSync } from 'node:fs';

export type MetricsResult = { ok: true; metrics: Record<string, number> } | { ok: false; reason: string };

// Reads a stage's metrics.json: absent means no metrics; present must be a flat object of finite numbers.
export function readMetrics(file: string): MetricsResult {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { ok: true, metrics: {} };
    return {
      ok: false,
      reason: `metrics.json cannot be read (${code ?? (error as Error).message}); write a file holding a flat object of numbers`,
    };
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return {
      ok: false,
      reason: `metrics.json is not valid JSON (${(error as Error).message}); write a flat object of numbers, e.g. {"accuracy": 0.62}`,
    };
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return { ok: false, reason: 'metrics.json must hold a flat object of numbers, e.g. {"accuracy": 0.62}' };
  }
  const metrics: Record<string, number> = {};
  for (const [key, value] of Object.entries(data)) {
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      return { ok: false, reason: `metrics.json: "${key}" is ${JSON.stringify(value)}; every value must be a finite number` };
    }
    metrics[key] = value;
  }
  return { ok: true, metrics };
}
