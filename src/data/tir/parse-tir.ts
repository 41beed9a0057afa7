// A tool-integrated-reasoning (TIR) response, as Qwen2.5-Math writes them: prose, ```python blocks, and after each
// block the ```output block holding what running it printed (the model's claim until it is re-executed).

export interface TirStep {
  /** The code of one ```python block. */
  code: string;
  /** The ```output block that follows it (only whitespace in between), or null when none does. */
  output: string | null;
  /** Offset of the ```python fence in the response. */
  start: number;
}

export interface TirResponse {
  steps: TirStep[];
  /** The text after the last block: where the final answer (\boxed{…}) usually is. */
  tail: string;
}

// A fence line: ``` then a language word, to the end of the line.
const FENCE = /```[ \t]*([A-Za-z0-9_+-]*)[ \t]*\r?\n([\s\S]*?)(?:\r?\n)?```/g;

// Splits a response into its python steps and their stated outputs; a response without python blocks has none.
export function parseTir(text: string): TirResponse {
  const steps: TirStep[] = [];
  let tail = text;
  let pending: TirStep | null = null;
  let pendingEnd = 0;
  let lastEnd = 0;
  for (const match of text.matchAll(FENCE)) {
    const lang = match[1]!.toLowerCase();
    const body = match[2]!;
    const start = match.index!;
    const end = start + match[0].length;
    if (lang === 'python' || lang === 'py') {
      pending = { code: body, output: null, start };
      steps.push(pending);
      pendingEnd = end;
      lastEnd = end;
    } else if (lang === 'output' && pending && text.slice(pendingEnd, start).trim() === '') {
      pending.output = body;
      pending = null;
      lastEnd = end;
    } else {
      pending = null;
    }
  }
  tail = text.slice(lastEnd);
  return { steps, tail };
}

// Whether a response uses tools at all: it has at least one ```python block.
export function isTirResponse(text: string): boolean {
  return parseTir(text).steps.length > 0;
}
