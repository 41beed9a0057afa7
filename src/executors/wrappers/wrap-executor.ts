import type { Executor, ShardedExecutor } from '../executor.ts';

// Every method an executor may have (run, reattach, runShards), each made required, so `Around` can name them all.
type Full = Required<ShardedExecutor>;
type Methods = { [K in keyof Full as Full[K] extends (...args: never[]) => unknown ? K : never]: Full[K] };

// What a wrapper does around each method it cares about: `next` is the wrapped executor's own method.
export type Around = { [K in keyof Methods]?: (next: Methods[K], ...args: Parameters<Methods[K]>) => ReturnType<Methods[K]> };

// Wraps an executor without listing its capabilities by hand: the result has exactly the inner executor's methods
// and properties (any added to the interface later included), with `around` applied to the ones it names. A method
// the inner executor lacks stays absent, so a wrapper never adds a capability nor drops one (a lost `runShards`
// once turned every shard of a Slurm job array into a job of its own).
export function wrapExecutor<E extends Executor>(inner: E, around: Around): E {
  const wrapped: Record<string, unknown> = {};
  for (const key of allKeys(inner)) {
    const value = (inner as unknown as Record<string, unknown>)[key];
    if (typeof value !== 'function') {
      wrapped[key] = value;
      continue;
    }
    const next = (value as (...args: unknown[]) => unknown).bind(inner);
    const hook = (around as Record<string, ((next: unknown, ...args: unknown[]) => unknown) | undefined>)[key];
    wrapped[key] = hook ? (...args: unknown[]) => hook(next, ...args) : next;
  }
  return wrapped as E;
}

// The executor's own and inherited property names (a class-based executor keeps its methods on the prototype).
function allKeys(object: object): string[] {
  const keys = new Set<string>();
  for (let at: object | null = object; at !== null && at !== Object.prototype; at = Object.getPrototypeOf(at) as object | null) {
    for (const key of Object.getOwnPropertyNames(at)) if (key !== 'constructor') keys.add(key);
  }
  return [...keys];
}
