// A stage's seed: a 31-bit FNV-1a hash of (recipe seed, iteration, stage), so every stage and iteration
// gets its own stream and the same recipe seed always gives the same seeds.
export function stageSeed(recipeSeed: number, iteration: number, stage: string): number {
  let hash = 0x811c9dc5;
  for (const ch of `${recipeSeed}:${iteration}:${stage}`) {
    hash ^= ch.charCodeAt(0);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash & 0x7fffffff;
}
