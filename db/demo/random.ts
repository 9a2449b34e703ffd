// Seeded pseudo-random draws for the demonstration-data generator, so the same seed always gives the same dataset.
// mulberry32 with the state kept in int32 (as shared/oracle/mulberry32.js), plus the few distributions we need.

export interface Random {
  uniform(): number;
  normal(mean?: number, sd?: number): number;
  bernoulli(p: number): 0 | 1;
  categorical(probs: readonly number[]): number;
  int(min: number, max: number): number;
  shuffle<T>(items: T[]): T[];
}

export function createRandom(seed: number): Random {
  let state = seed | 0;
  let spareNormal: number | null = null;
  const uniform = (): number => {
    state = (state + 0x6d2b79f5) | 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const standardNormal = (): number => {
    if (spareNormal !== null) {
      const z = spareNormal;
      spareNormal = null;
      return z;
    }
    // Box–Muller; 1 - u keeps the logarithm finite.
    const u = 1 - uniform();
    const v = uniform();
    const radius = Math.sqrt(-2 * Math.log(u));
    spareNormal = radius * Math.sin(2 * Math.PI * v);
    return radius * Math.cos(2 * Math.PI * v);
  };
  return {
    uniform,
    normal: (mean = 0, sd = 1) => mean + sd * standardNormal(),
    bernoulli: (p) => (uniform() < p ? 1 : 0),
    categorical: (probs) => {
      const total = probs.reduce((a, b) => a + b, 0);
      let u = uniform() * total;
      for (let i = 0; i < probs.length; i++) {
        u -= probs[i] ?? 0;
        if (u < 0) return i;
      }
      return probs.length - 1;
    },
    int: (min, max) => min + Math.floor(uniform() * (max - min + 1)),
    shuffle: (items) => {
      for (let i = items.length - 1; i > 0; i--) {
        const j = Math.floor(uniform() * (i + 1));
        const tmp = items[i] as (typeof items)[number];
        items[i] = items[j] as (typeof items)[number];
        items[j] = tmp;
      }
      return items;
    },
  };
}

export const logistic = (x: number): number => 1 / (1 + Math.exp(-x));
export const logit = (p: number): number => Math.log(p / (1 - p));
