// The method's shaped reward r = σ(α·r_m) + (r_v − 1): σ(α·r_m) is in (0, 1), so every wrong answer (r_v = 0) scores
// below every right one (r_v = 1) whatever the RM says, and the RM orders answers within each side.
export function shapedReward(rm: number, correct: boolean, alpha: number): number {
  return 1 / (1 + Math.exp(-alpha * rm)) + (correct ? 0 : -1);
}
