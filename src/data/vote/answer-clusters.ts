import { stripAnswer } from '../grade/strip-answer.ts';
import { compareStripped } from '../grade/answers-equal.ts';

// Groups one query's final answers into classes of equivalent answers, so "1/2", "0.5" and "\frac{1}{2}" vote
// together: same stripped text first, then the fast equivalence check (numbers, fractions, lists) between classes.
// Pairs only the symbolic engine could join stay apart (votes must not stall on the engine). Returns, for each input,
// the index of its class; null answers get -1.
export function answerClusters(preds: ReadonlyArray<string | null>): number[] {
  const byText = new Map<string, number>();
  const texts: string[] = [];
  const percent: boolean[] = [];
  const stripped = new Map<string, string>();
  const first = preds.map((pred) => {
    if (pred === null) return -1;
    let text = stripped.get(pred);
    if (text === undefined) stripped.set(pred, (text = stripAnswer(pred)));
    let index = byText.get(text);
    if (index === undefined) {
      index = texts.push(text) - 1;
      percent.push(pred.includes('%'));
      byText.set(text, index);
    }
    return index;
  });
  // Union-find over the distinct texts.
  const parent = texts.map((_, i) => i);
  const root = (i: number): number => (parent[i] === i ? i : (parent[i] = root(parent[i]!)));
  for (let i = 0; i < texts.length; i++) {
    for (let j = 0; j < i; j++) {
      if (root(i) === root(j)) continue;
      if (compareStripped(texts[i]!, texts[j]!, percent[i]! || percent[j]!) === true) parent[root(i)] = root(j);
    }
  }
  return first.map((i) => (i === -1 ? -1 : root(i)));
}
