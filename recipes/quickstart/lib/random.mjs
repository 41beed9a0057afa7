// Seeded randomness, identical on every platform: stream seeds per purpose, a PRNG, draws and shuffles.

// 32-bit FNV-1a of a string: turns (seed, purpose) labels into independent stream seeds.
export function hash32(text) {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

// mulberry32: a small, fast, seeded PRNG returning floats in [0, 1). Identical on every platform.
export function mulberry32(seed) {
  let a = seed >>> 0;
  return function next() {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// A PRNG for one purpose under one seed, e.g. rngFor(7, 'sample', queryId).
export function rngFor(seed, ...labels) {
  return mulberry32(hash32([String(seed), ...labels.map(String)].join('\u0000')));
}

// Uniform integer in [lo, hi].
export function randInt(rng, lo, hi) {
  return lo + Math.floor(rng() * (hi - lo + 1));
}

// Draws an index from unnormalized non-negative weights.
export function drawIndex(rng, weights) {
  const total = weights.reduce((s, w) => s + w, 0);
  let u = rng() * total;
  for (let i = 0; i < weights.length; i += 1) {
    u -= weights[i];
    if (u < 0) return i;
  }
  return weights.length - 1;
}

// Fisher-Yates shuffle in place.
export function shuffle(rng, arr) {
  for (let i = arr.length - 1; i > 0; i -= 1) {
    const j = Math.floor(rng() * (i + 1));
    [arr[i], arr[j]] = [arr[j], arr[i]];
  }
  return arr;
}
