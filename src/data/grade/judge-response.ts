import { answersEqual, type SymbolicJudge } from './answers-equal.ts';
import { extractAnswer, type ExtractMode } from './extract-answer.ts';
import { referenceAnswer } from '../queries/load-queries.ts';
import { tirAnswerText } from './tir-answer-text.ts';

// One response judged against one reference, as `loop data grade` does: the response's final answer extracted
// (docs/data/grading.md §1), the reference reduced to its final answer, then the one equivalence (§3). Used by the
// equivalence suite and the benchmark, so both measure exactly the grader's path.
export function judgeResponse(response: string, reference: string, symbolic: SymbolicJudge, mode: ExtractMode = 'auto'): boolean {
  const pred = extractAnswer(tirAnswerText(response), mode);
  return answersEqual(pred, referenceAnswer(reference), symbolic) === true;
}
