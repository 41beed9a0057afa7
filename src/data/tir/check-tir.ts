import { parseTir, type TirResponse } from './parse-tir.ts';
import { runTirCode, type TirExecution, type TirLimits } from './run-tir-code.ts';

export interface OutputMismatch {
  /** Which python block (0-based). */
  step: number;
  stated: string;
  actual: string;
}

// What re-executing a TIR response found: whether every stated ```output is what its code really prints.
export interface TirCheck {
  steps: number;
  /** Blocks that had a stated output to compare. */
  checked: number;
  /** True when every stated output matches and the code ran to the end within its limits. */
  consistent: boolean;
  mismatches: OutputMismatch[];
  execution: TirExecution | null;
}

// Outputs are compared as a notebook shows them: trailing spaces and blank lines at either end do not count.
export function normalizeOutput(text: string): string {
  return text
    .replace(/\r\n/g, '\n')
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n')
    .trim();
}

// Re-executes a response's python blocks (sandboxed, limited) and compares each stated output with the real one.
// A response with no python block is trivially consistent and runs nothing.
export async function checkTir(text: string, limits: TirLimits = {}, parsed: TirResponse = parseTir(text)): Promise<TirCheck> {
  if (parsed.steps.length === 0) return { steps: 0, checked: 0, consistent: true, mismatches: [], execution: null };
  const execution = await runTirCode(
    parsed.steps.map((s) => s.code),
    limits,
  );
  const mismatches: OutputMismatch[] = [];
  let checked = 0;
  parsed.steps.forEach((step, i) => {
    if (step.output === null) return;
    checked += 1;
    const result = execution.results[i];
    const actual = result ? normalizeOutput([result.stdout.trimEnd(), result.error ?? ''].filter(Boolean).join('\n')) : '';
    const stated = normalizeOutput(step.output);
    if (!result || actual !== stated) mismatches.push({ step: i, stated, actual });
  });
  const ranToEnd = execution.failure === null && execution.results.length === parsed.steps.length;
  return { steps: parsed.steps.length, checked, consistent: ranToEnd && mismatches.length === 0, mismatches, execution };
}
