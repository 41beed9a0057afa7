import { mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';

// The child writes its stdout and stderr straight into this descriptor (no pipe through the parent),
// so output keeps flowing even if loop goes away; append mode keeps earlier runs and interleaves safely.
export function openLogFile(logFile: string): number {
  mkdirSync(dirname(logFile), { recursive: true });
  return openSync(logFile, 'a');
}
