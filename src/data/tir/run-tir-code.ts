import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface TirLimits {
  /** Wall-clock limit for all of a response's blocks together (default 10 000 ms); the process group is killed past it. */
  timeoutMs?: number;
  /** Address-space limit of the Python process (default 512 MB); past it, allocations raise MemoryError. */
  memoryMb?: number;
  /** The interpreter (default `python3` on PATH); any Python 3 works, no package is needed. */
  python?: string;
}

export interface BlockResult {
  /** What the block printed (stdout and stderr together), as a notebook cell would show it. */
  stdout: string;
  /** The exception's last line (`ZeroDivisionError: division by zero`) when the block raised, else null. */
  error: string | null;
}

// How one execution ended: data, never an exception, so a grader can count each kind of failure.
export interface TirExecution {
  /** One result per block that ran; blocks after a MemoryError or a kill are missing. */
  results: BlockResult[];
  timedOut: boolean;
  memoryExceeded: boolean;
  /** Why no results came back (the interpreter is missing, the process was killed), else null. */
  failure: string | null;
  durationMs: number;
}

const DRIVER = path.join(path.dirname(fileURLToPath(import.meta.url)), 'tir-driver.py');
const MAX_OUTPUT = 4 * 1024 * 1024;

// Runs a response's python blocks in one sandboxed subprocess: an isolated interpreter (-I: no user site, no
// PYTHON* variables), an empty scratch folder as its working directory, an environment holding only PATH and a
// locale (no tokens reach it), address-space, CPU-time and file-size limits, and a wall-clock limit that kills its
// process group. It limits resources; it is not a security boundary against deliberately hostile code (no network
// or filesystem isolation): run graders on machines you would run the model's code on anyway.
export function runTirCode(blocks: string[], limits: TirLimits = {}): Promise<TirExecution> {
  const timeoutMs = limits.timeoutMs ?? 10_000;
  const memoryMb = limits.memoryMb ?? 512;
  const scratch = mkdtempSync(path.join(tmpdir(), 'loop-tir-'));
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(limits.python ?? 'python3', ['-I', DRIVER], {
      cwd: scratch,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C.UTF-8', PYTHONIOENCODING: 'utf-8' },
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true,
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    const kill = () => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    };
    const timer = setTimeout(() => ((timedOut = true), kill()), timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      if (stdout.length > MAX_OUTPUT) kill();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < 64 * 1024) stderr += chunk.toString('utf8');
    });
    const finish = (failure: string | null, results: BlockResult[] = []) => {
      clearTimeout(timer);
      rmSync(scratch, { recursive: true, force: true });
      const memoryExceeded = results.some((r) => r.error === 'MemoryError');
      resolve({ results, timedOut, memoryExceeded, failure, durationMs: Date.now() - started });
    };
    child.on('error', (error) => finish(`could not start ${limits.python ?? 'python3'}: ${error.message}`));
    child.on('close', (code, signal) => {
      if (timedOut) return finish(`stopped after the ${timeoutMs} ms time limit`);
      const line = stdout.trim().split('\n').at(-1) ?? '';
      try {
        const parsed = JSON.parse(line) as { results: BlockResult[] };
        return finish(null, parsed.results);
      } catch {
        const why =
          signal === 'SIGXCPU' || signal === 'SIGKILL'
            ? `killed by ${signal} (CPU-time limit)`
            : `exited with code ${code}${signal ? ` (${signal})` : ''}`;
        return finish(`the code runner ${why}${stderr ? `: ${stderr.trim().split('\n').at(-1)}` : ''}`);
      }
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(JSON.stringify({ blocks, memory_mb: memoryMb, cpu_seconds: Math.max(1, Math.ceil(timeoutMs / 1000)) }));
  });
}
