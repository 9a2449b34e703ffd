// Seeded random numbers for the engine: mulberry32 exactly as tests/fixtures/oracle/mulberry32.js (so bootstrap
// resamples can be reproduced draw for draw in R), normal draws built on it, and the bootstrap resampling scheme.

/** mulberry32 with the state kept in int32, as the oracle's reference: a = (a + 0x6D2B79F5) | 0. */
export function mulberry32(seed: number): () => number {
  let state = seed | 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The mulberry32 stream started at `position` (the number of draws already taken): its state is a counter, so
 * jumping ahead is one multiplication. Lets bootstrap replicates run in any order or in parallel workers, replicate r
 * starting at position (r - 1) * n, and still draw exactly the sequential stream's values.
 */
export function mulberry32At(seed: number, position: number): () => number {
  return mulberry32(((seed | 0) + Math.imul(position >>> 0, 0x6d2b79f5)) | 0);
}

/** Standard normal draws by Box–Muller on a mulberry32 stream (both values of each pair are used, in order). */
export function normalGenerator(seed: number): () => number {
  const uniform = mulberry32(seed);
  let spare: number | null = null;
  return () => {
    if (spare !== null) {
      const z = spare;
      spare = null;
      return z;
    }
    // 1 - u lies in (0, 1], so the logarithm stays finite.
    const radius = Math.sqrt(-2 * Math.log(1 - uniform()));
    const angle = 2 * Math.PI * uniform();
    spare = radius * Math.sin(angle);
    return radius * Math.cos(angle);
  };
}

/**
 * One bootstrap resample as counts: draws `units` uniforms from the stream and adds one to unit floor(u * units),
 * which is the oracle's convention (replicate r uses stream positions (r-1)·n+1 … r·n when called once per
 * replicate). Counts, not index lists, so that a fit can weight rows instead of copying them.
 */
export function drawBootstrapCounts(uniform: () => number, units: number, counts: Int32Array): void {
  counts.fill(0);
  for (let i = 0; i < units; i++) counts[Math.floor(uniform() * units)]! += 1;
}

/** A seeded Fisher–Yates permutation of 0..n-1. */
export function seededPermutation(n: number, seed: number): Int32Array {
  const uniform = mulberry32(seed);
  const order = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(uniform() * (i + 1));
    const swap = order[i] as number;
    order[i] = order[j] as number;
    order[j] = swap;
  }
  return order;
}
