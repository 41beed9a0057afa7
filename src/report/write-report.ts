import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../errors/loop-error.ts';
import { writeFileAtomic } from '../fs/atomic-write.ts';
import { reportData, type ReportData } from './report-data.ts';
import { renderReport } from './render-report.ts';

// What `loop report --json` prints.
export interface ReportWritten {
  run: string;
  out: string;
  bytes: number;
  iterations: number;
  metricCharts: number;
  curveCharts: number;
}

// Builds a run's report and writes it to `out` atomically; the folder must exist.
export function writeReport(params: { home: string; run: string; out: string; now?: Date }): ReportWritten {
  const dir = path.dirname(params.out);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new UsageError(`cannot write ${params.out}: the folder ${dir} does not exist; create it or give another --out`);
  }
  if (existsSync(params.out) && statSync(params.out).isDirectory()) {
    throw new UsageError(
      `cannot write ${params.out}: it is a folder; give a file name such as ${path.join(params.out, `${params.run}.html`)}`,
    );
  }
  const data = reportData(params);
  const html = renderReport(data);
  try {
    writeFileAtomic(params.out, html);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new UsageError(`cannot write ${params.out} (${reason}); check the folder's permissions or give another --out`);
  }
  return {
    run: data.run,
    out: params.out,
    bytes: Buffer.byteLength(html),
    iterations: data.iterations.length,
    metricCharts: data.metrics.length,
    curveCharts: curveChartCount(data),
  };
}

// One chart per stage and reported name, as the page draws them.
function curveChartCount(data: ReportData): number {
  const names = new Set(data.curves.flatMap((c) => Object.keys(c.series).map((n) => `${c.stage}\u0000${n}`)));
  return names.size;
}
