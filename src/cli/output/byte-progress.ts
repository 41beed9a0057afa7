import type { CliIO } from '../io.ts';
import { formatElapsed } from './format.ts';

export interface ByteProgress {
  // Bytes of the input read so far (readJsonlBatches' onProgress), of `total` when the pass's size is only known
  // later (default: the total given at creation).
  update(bytesRead: number, total?: number): void;
  // Clears the live line (call before printing the summary).
  done(): void;
}

// Progress through one input file on stderr: in a terminal one line redrawn at most 5 times a second; elsewhere one
// plain line every `quietMs` (30 s) so logs of long jobs show life without being flooded; nothing for short jobs.
export function createByteProgress(
  io: CliIO,
  label: string,
  initialTotal: number,
  now: () => number = Date.now,
  quietMs = 30_000,
): ByteProgress {
  const live = Boolean(io.stderr.isTTY);
  const started = now();
  let last = started;
  let drawn = false;
  const line = (bytes: number, totalBytes: number) => {
    const elapsed = now() - started;
    const percent = totalBytes > 0 ? `${Math.min(100, (100 * bytes) / totalBytes).toFixed(0)}%` : '';
    const rate = elapsed > 0 ? `${(bytes / 1e6 / (elapsed / 1000)).toFixed(1)} MB/s` : '';
    const amount = `${(bytes / 1e6).toFixed(1)} of ${(totalBytes / 1e6).toFixed(1)} MB`;
    return `${label}: ${percent} ${amount} · ${rate} · ${formatElapsed(elapsed)}`;
  };
  return {
    update(bytes, total = initialTotal) {
      const t = now();
      if (live) {
        if (t - last < 200) return;
        last = t;
        drawn = true;
        io.stderr.write(`\r\x1b[2K${line(bytes, total)}`);
      } else if (t - last >= quietMs) {
        last = t;
        io.error(line(bytes, total));
      }
    },
    done() {
      if (drawn) io.stderr.write('\r\x1b[2K');
    },
  };
}
