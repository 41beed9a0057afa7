import type { SampleRecord } from '../samples/collect-samples.ts';

// The k best records by rm (ties: earlier line first), counting identical responses once (the best-scored copy).
export function topKDistinct(records: readonly SampleRecord[], k: number): SampleRecord[] {
  const sorted = [...records].sort((a, b) => b.rm - a.rm || a.line - b.line);
  const seen = new Set<number>();
  const kept: SampleRecord[] = [];
  for (const r of sorted) {
    if (kept.length >= k) break;
    if (seen.has(r.hash)) continue;
    seen.add(r.hash);
    kept.push(r);
  }
  return kept.sort((a, b) => a.line - b.line);
}

// Keeps the first record of each distinct response (for a vote in which identical responses count once).
export function distinctResponses(records: readonly SampleRecord[]): SampleRecord[] {
  const seen = new Set<number>();
  return records.filter((r) => !seen.has(r.hash) && seen.add(r.hash));
}
