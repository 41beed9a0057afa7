// The RL phase's metric names in the order every view shows them: rl_eval's (how the policy does) first, then
// rl_train's, then the sampling and filtering figures; by name within each.
export function rlMetricNames(metrics: Record<string, number>): string[] {
  const rank = (name: string) => (name.startsWith('rl_eval.') ? 0 : name.startsWith('rl_train.') ? 1 : 2);
  return Object.keys(metrics).sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
}
