import path from 'node:path';
import { writeFileAtomic } from '../fs/atomic-write.ts';
import { readMetrics } from '../run-folder/read-metrics.ts';

// The stage's metrics.json from its shards': each metric's mean over the shards that report it.
export function mergeShardMetrics(outs: string[], out: string): void {
  const sums = new Map<string, { total: number; n: number }>();
  for (const dir of outs) {
    const metrics = readMetrics(path.join(dir, 'metrics.json'));
    if (!metrics.ok) continue;
    for (const [key, value] of Object.entries(metrics.metrics)) {
      const entry = sums.get(key) ?? { total: 0, n: 0 };
      sums.set(key, { total: entry.total + value, n: entry.n + 1 });
    }
  }
  if (sums.size === 0) return;
  const mean = Object.fromEntries([...sums].map(([key, { total, n }]) => [key, total / n]));
  writeFileAtomic(path.join(out, 'metrics.json'), `${JSON.stringify(mean)}\n`);
}
