import { statfsSync } from 'node:fs';
import path from 'node:path';
import { LoopError } from '../errors/loop-error.ts';
import { writeRunState, type RunState } from './run-state.ts';

// The run's own records (state.json, events.jsonl, iterations.jsonl) could not be written: a full disk or quota,
// most often. The message names the file and the space left; the run stays resumable.
export class RunWriteError extends LoopError {
  readonly file: string;

  constructor(file: string, cause: NodeJS.ErrnoException, run: string) {
    const why = cause.code === 'ENOSPC' || cause.code === 'EDQUOT' ? 'no space left' : (cause.code ?? cause.message);
    super(
      'E_RUN_WRITE',
      `cannot write ${file} (${why}; ${freeSpace(path.dirname(file))} free there): ` +
        `the run is left failed and resumable; free some space, then \`loop resume ${run}\``,
      { cause },
    );
    this.name = 'RunWriteError';
    this.file = file;
  }
}

// Runs one write of a run record, turning a file-system failure into a RunWriteError naming the file.
export function guardRunWrite(file: string, run: string, write: () => void): void {
  try {
    write();
  } catch (error) {
    if (typeof (error as NodeJS.ErrnoException).code === 'string' && (error as NodeJS.ErrnoException).syscall)
      throw new RunWriteError(file, error as NodeJS.ErrnoException, run);
    throw error;
  }
}

// After a failed write, records the run as failed at its last persisted snapshot if the disk now allows it (the failed
// write's temporary file is gone by then); otherwise state.json keeps the last good state, which `loop status` shows as
// a controller that is gone. Either way `loop resume` continues from the last persisted snapshot.
export function recordWriteFailure(last: RunState | undefined, error: RunWriteError, stateFile: string, now: Date): void {
  if (last?.status !== 'running') return;
  try {
    writeRunState(stateFile, {
      ...last,
      status: 'failed',
      updatedAt: now.toISOString(),
      controller: null,
      error: { stage: last.stage ?? '', iteration: last.iteration, message: error.message },
    });
  } catch {
    // still no space: the last good state stays
  }
}

function freeSpace(dir: string): string {
  try {
    const s = statfsSync(dir);
    const bytes = s.bavail * s.bsize;
    const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
    let value = bytes;
    let unit = 0;
    while (value >= 1024 && unit < units.length - 1) (value /= 1024), unit++;
    return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
  } catch {
    return 'unknown space';
  }
}
