import type { CliIO } from '../io.ts';

export interface FileProgress {
  // Bytes of the input read so far, of `total`.
  update(bytes: number, total: number, rows?: number): void;
  close(): void;
}

// Progress of a long pass over a file: in a terminal one line redrawn at most 4 times a second; elsewhere one line
// every 10 s, and nothing at all for a pass shorter than that, so logs are not flooded.
export function createFileProgress(io: CliIO, label: string, now: () => number = Date.now): FileProgress {
  const live = Boolean(io.stderr.isTTY);
  const started = now();
  let last = started;
  let drawn = false;
  return {
    update(bytes, total) {
      const t = now();
      if (t - last < (live ? 250 : 10_000)) return;
      last = t;
      const percent = total > 0 ? Math.min(100, (100 * bytes) / total) : 0;
      const rate = bytes / 1e6 / Math.max(0.001, (t - started) / 1000);
      const line = `${label}: ${percent.toFixed(1)}% of ${(total / 1e6).toFixed(1)} MB · ${rate.toFixed(1)} MB/s`;
      if (live) {
        io.stderr.write(`\r\x1b[2K${line}`);
        drawn = true;
      } else io.error(line);
    },
    close() {
      if (drawn) io.stderr.write('\r\x1b[2K');
    },
  };
}
