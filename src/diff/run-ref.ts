import { UsageError } from '../errors/loop-error.ts';

// Which iteration of a run a reference points at: `RUN` (last with metrics), `RUN@N`, `RUN@best`.
export type IterationSelector = { kind: 'last' } | { kind: 'best' } | { kind: 'index'; index: number };

// A parsed `RUN[@SELECTOR]`; `selector` is null when the part after `@` is not a selector, so the caller
// can name the run's iterations in its error once it has read the run.
export interface RunRef {
  text: string;
  run: string;
  selector: IterationSelector | null;
}

// Splits `q@3` into the run and its selector; run names never hold `@` (src/recipe/names.ts).
export function parseRunRef(text: string): RunRef {
  const at = text.indexOf('@');
  const run = at < 0 ? text : text.slice(0, at);
  if (run === '') throw new UsageError(`"${text}" names no run; write RUN, RUN@N or RUN@best (\`loop ls\` lists the runs)`);
  if (at < 0) return { text, run, selector: { kind: 'last' } };
  const rest = text.slice(at + 1);
  if (rest === 'best') return { text, run, selector: { kind: 'best' } };
  if (/^\d+$/.test(rest)) return { text, run, selector: { kind: 'index', index: Number(rest) } };
  return { text, run, selector: null };
}
