// The toy policy: per problem kind, a backed-off distribution over procedures; fitting it and sampling from it.
import { OPS, KINDS, kindOf } from './problems.mjs';
import { PROCEDURES, FAMILIES, familyOf } from './procedures.mjs';
import { drawIndex } from './random.mjs';

// The policy's backoff weights λ: a kind's distribution is (1 − λ.kind) of its own counts plus λ.kind of
// its operation's; an operation's is (1 − λ.op) of its own plus λ.op of the procedure families' pooled
// over all operations; the families' is (1 − λ.family) counts plus λ.family uniform. λ.op is how
// much a method learnt for one operation carries over to the others ("generalization").
export const POLICY_SMOOTHING = { kind: 0.03, op: 0.2, family: 0.05 };

// The policy's distribution over procedures for a problem kind (falls back to the operation level).
export function policyDist(policy, kind) {
  const op = kind.slice(0, 3);
  return policy.kinds[kind] ?? policy.ops[op];
}

// Counts procedures per kind, per operation and per family from the parsed examples.
function countExamples(examples) {
  const kind = {};
  const op = {};
  const family = Object.fromEntries(FAMILIES.map((f) => [f, 0]));
  for (const { k, proc } of examples) {
    const o = k.slice(0, 3);
    kind[k] ??= {};
    kind[k][proc] = (kind[k][proc] ?? 0) + 1;
    op[o] ??= {};
    op[o][proc] = (op[o][proc] ?? 0) + 1;
    family[familyOf(proc)] += 1;
  }
  return { kind, op, family };
}

// Interpolated estimate (1 − λ)·count/n + λ·prior for each item; the prior alone when there is no data.
function smooth(counts, items, prior, lambda) {
  const n = items.reduce((s, q) => s + (counts?.[q] ?? 0), 0);
  if (n === 0) return Object.fromEntries(items.map((q) => [q, prior[q]]));
  return Object.fromEntries(items.map((q) => [q, ((1 - lambda) * (counts?.[q] ?? 0)) / n + lambda * prior[q]]));
}

// Fits the backed-off policy from parsed examples.
export function fitPolicy(examples) {
  const c = countExamples(examples);
  const s = POLICY_SMOOTHING;
  const uniform = Object.fromEntries(FAMILIES.map((f) => [f, 1 / FAMILIES.length]));
  const family = smooth(c.family, FAMILIES, uniform, s.family);
  const ops = {};
  const kinds = {};
  for (const op of OPS) {
    const procs = PROCEDURES[op];
    ops[op] = smooth(c.op[op], procs, Object.fromEntries(procs.map((q) => [q, family[familyOf(q)]])), s.op);
  }
  for (const k of KINDS) {
    const op = k.slice(0, 3);
    kinds[k] = smooth(c.kind[k], PROCEDURES[op], ops[op], s.kind);
  }
  return { format: 'quickstart-policy/1', smoothing: s, family, ops, kinds };
}

// Mean negative log-likelihood of parsed examples {k, proc} under a policy.
export function policyLoss(policy, examples) {
  if (examples.length === 0) return 0;
  return examples.reduce((s, e) => s - Math.log(policy.kinds[e.k][e.proc]), 0) / examples.length;
}

// Samples one procedure for a problem from the policy (temperature 1).
export function sampleProcedure(policy, p, rng) {
  const dist = policyDist(policy, kindOf(p));
  const procs = PROCEDURES[p.op];
  return procs[drawIndex(rng, procs.map((q) => dist[q] ?? 0))];
}
