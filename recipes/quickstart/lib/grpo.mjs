// GRPO on the toy policy: shaped rewards, group-relative advantages, and a policy-gradient step on each
// problem kind's logits (the policy's kinds[k] is softmax of them).
import { sigmoid } from './reward-model.mjs';

// The method's shaped reward r = σ(α·rm) + (correct − 1): every wrong answer (−1 < r < 0) scores below
// every right one (0 < r < 1), and among right (or among wrong) answers the RM decides.
export function shapedReward(rm, correct, alpha = 0.5) {
  return sigmoid(alpha * rm) + (correct ? 1 : 0) - 1;
}

// GRPO's advantages for one group: each reward minus the group mean, over the group's standard deviation
// (no value model). A group whose rewards are all equal carries no signal: all zeros.
export function groupAdvantages(rewards) {
  const n = rewards.length;
  const mean = rewards.reduce((s, r) => s + r, 0) / n;
  const std = Math.sqrt(rewards.reduce((s, r) => s + (r - mean) ** 2, 0) / n);
  return rewards.map((r) => (std < 1e-9 ? 0 : (r - mean) / std));
}

// A categorical distribution {proc: p} as logits (log p), the inverse of softmax up to a constant.
export function toLogits(dist) {
  return Object.fromEntries(Object.entries(dist).map(([q, p]) => [q, Math.log(Math.max(p, 1e-12))]));
}

// softmax of logits {proc: z}.
export function softmax(logits) {
  const max = Math.max(...Object.values(logits));
  const exp = Object.fromEntries(Object.entries(logits).map(([q, z]) => [q, Math.exp(z - max)]));
  const total = Object.values(exp).reduce((s, e) => s + e, 0);
  return Object.fromEntries(Object.entries(exp).map(([q, e]) => [q, e / total]));
}

// The GRPO surrogate's gradient for one group on one kind's logits: mean over the group of A_i·∇log π(proc_i),
// with ∇_z log softmax(z)[proc] = onehot(proc) − π. One on-policy step per sampled batch, so the clipped
// importance ratio is 1 and the clipped and plain objectives have the same gradient.
export function groupGradient(dist, procs, advantages) {
  const grad = Object.fromEntries(Object.keys(dist).map((q) => [q, 0]));
  procs.forEach((proc, i) => {
    for (const q of Object.keys(dist)) grad[q] += (advantages[i] * ((q === proc ? 1 : 0) - dist[q])) / procs.length;
  });
  return grad;
}

// KL(π_new ‖ π_ref) of two distributions over the same procedures, to report how far RL moved a kind.
export function klDivergence(p, q) {
  return Object.keys(p).reduce((s, k) => s + (p[k] > 0 ? p[k] * Math.log(p[k] / Math.max(q[k], 1e-12)) : 0), 0);
}
