import { answersEqual } from './answers-equal.ts';
import { createSymbolicPool } from './symbolic-pool.ts';

export interface BatchJudge {
  // Judges pred against ref now when the fast check decides, else queues it for flush(); `set` receives the verdict.
  judge(pred: string | null, ref: string, set: (equal: boolean) => void): void;
  // Sends the queued pairs to the symbolic pool (time budget per pair) and delivers their verdicts.
  flush(): Promise<void>;
  close(): Promise<void>;
  readonly symbolic: number;
  readonly timeouts: number;
  // Pairs refused by the work bounds (graded not equal, the same on any machine).
  readonly bounded: number;
}

// Correctness judging for steps that read samples without a "correct" field (select, vote): the fast check in this
// thread, a verdict cache, and the symbolic check batched onto worker threads.
export function createBatchJudge(options: { budgetMs: number; workers: number }): BatchJudge {
  const pool = createSymbolicPool(options);
  const cache = new Map<string, boolean>();
  let pending: Array<{ key: string; pair: [string, string]; sets: Array<(equal: boolean) => void> }> = [];
  const slots = new Map<string, number>();
  let symbolic = 0;
  let timeouts = 0;
  return {
    get symbolic() {
      return symbolic;
    },
    get timeouts() {
      return timeouts;
    },
    get bounded() {
      return pool.bounded;
    },
    judge(pred, ref, set) {
      const key = `${ref}\u0000${pred}`;
      const known = cache.get(key);
      if (known !== undefined) return set(known);
      const verdict = answersEqual(pred, ref);
      if (verdict !== undefined) {
        if (cache.size >= 200_000) cache.clear();
        cache.set(key, verdict);
        return set(verdict);
      }
      const slot = slots.get(key);
      if (slot !== undefined) pending[slot]!.sets.push(set);
      else slots.set(key, pending.push({ key, pair: [pred!, ref], sets: [set] }) - 1);
    },
    async flush() {
      if (pending.length === 0) return;
      const batch = pending;
      pending = [];
      slots.clear();
      symbolic += batch.length;
      const verdicts = await pool.judge(batch.map((p) => p.pair));
      batch.forEach((p, i) => {
        const v = verdicts[i];
        if (v === 'timeout') timeouts += 1;
        else cache.set(p.key, v === true);
        for (const set of p.sets) set(v === true);
      });
    },
    close: () => pool.close(),
  };
}
