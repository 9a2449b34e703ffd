// Small dense linear algebra on Float64Array (row-major, p x p with p up to a few dozen): weighted cross-products
// over n rows, Cholesky factorisation, solves and the inverse. The n-sized loops are the hot path and stay tight.

/**
 * X'WX (upper triangle filled, then mirrored) and X'Wz for row-major X (n x p). Four rows per pass: each entry of
 * X'WX is read and written once per four rows instead of once per row, which halves the time in V8 (this loop is
 * the cost of every IRLS step at full-wave scale).
 */
export function weightedCrossProducts(X: Float64Array, n: number, p: number, w: Float64Array, z: Float64Array | null, xtwx: Float64Array, xtwz: Float64Array | null): void {
  xtwx.fill(0);
  if (xtwz) xtwz.fill(0);
  let i = 0;
  for (; i + 3 < n; i += 4) {
    const o0 = i * p;
    const o1 = o0 + p;
    const o2 = o1 + p;
    const o3 = o2 + p;
    const w0 = w[i] as number;
    const w1 = w[i + 1] as number;
    const w2 = w[i + 2] as number;
    const w3 = w[i + 3] as number;
    for (let a = 0; a < p; a++) {
      const a0 = w0 * (X[o0 + a] as number);
      const a1 = w1 * (X[o1 + a] as number);
      const a2 = w2 * (X[o2 + a] as number);
      const a3 = w3 * (X[o3 + a] as number);
      const row = a * p;
      for (let b = a; b < p; b++) {
        xtwx[row + b]! += a0 * (X[o0 + b] as number) + a1 * (X[o1 + b] as number) + a2 * (X[o2 + b] as number) + a3 * (X[o3 + b] as number);
      }
      if (xtwz && z) xtwz[a]! += a0 * (z[i] as number) + a1 * (z[i + 1] as number) + a2 * (z[i + 2] as number) + a3 * (z[i + 3] as number);
    }
  }
  for (; i < n; i++) {
    const wi = w[i] as number;
    if (wi === 0) continue;
    const offset = i * p;
    for (let a = 0; a < p; a++) {
      const wxa = wi * (X[offset + a] as number);
      const row = a * p;
      for (let b = a; b < p; b++) xtwx[row + b]! += wxa * (X[offset + b] as number);
      if (xtwz && z) xtwz[a]! += wxa * (z[i] as number);
    }
  }
  for (let a = 0; a < p; a++) for (let b = 0; b < a; b++) xtwx[a * p + b] = xtwx[b * p + a] as number;
}

/** Cholesky factor L (lower, row-major) of a symmetric positive-definite matrix; null if not positive definite. */
export function cholesky(A: Float64Array, p: number): Float64Array | null {
  const L = new Float64Array(p * p);
  for (let j = 0; j < p; j++) {
    let diagonal = A[j * p + j] as number;
    for (let k = 0; k < j; k++) diagonal -= (L[j * p + k] as number) ** 2;
    if (!(diagonal > 0)) return null;
    const ljj = Math.sqrt(diagonal);
    L[j * p + j] = ljj;
    for (let i = j + 1; i < p; i++) {
      let sum = A[i * p + j] as number;
      for (let k = 0; k < j; k++) sum -= (L[i * p + k] as number) * (L[j * p + k] as number);
      L[i * p + j] = sum / ljj;
    }
  }
  return L;
}

/** Solves L L' x = b. */
export function choleskySolve(L: Float64Array, p: number, b: Float64Array): Float64Array {
  const y = new Float64Array(p);
  for (let i = 0; i < p; i++) {
    let sum = b[i] as number;
    for (let k = 0; k < i; k++) sum -= (L[i * p + k] as number) * (y[k] as number);
    y[i] = sum / (L[i * p + i] as number);
  }
  const x = new Float64Array(p);
  for (let i = p - 1; i >= 0; i--) {
    let sum = y[i] as number;
    for (let k = i + 1; k < p; k++) sum -= (L[k * p + i] as number) * (x[k] as number);
    x[i] = sum / (L[i * p + i] as number);
  }
  return x;
}

/** Inverse of A = L L'. */
export function choleskyInverse(L: Float64Array, p: number): Float64Array {
  const inverse = new Float64Array(p * p);
  const unit = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    unit.fill(0);
    unit[j] = 1;
    const column = choleskySolve(L, p, unit);
    for (let i = 0; i < p; i++) inverse[i * p + j] = column[i] as number;
  }
  return inverse;
}

/** B M B for symmetric p x p matrices (the sandwich). */
export function sandwich(bread: Float64Array, meat: Float64Array, p: number): Float64Array {
  const temp = new Float64Array(p * p);
  for (let i = 0; i < p; i++)
    for (let k = 0; k < p; k++) {
      const bik = bread[i * p + k] as number;
      if (bik === 0) continue;
      for (let j = 0; j < p; j++) temp[i * p + j]! += bik * (meat[k * p + j] as number);
    }
  const out = new Float64Array(p * p);
  for (let i = 0; i < p; i++)
    for (let k = 0; k < p; k++) {
      const tik = temp[i * p + k] as number;
      if (tik === 0) continue;
      for (let j = 0; j < p; j++) out[i * p + j]! += tik * (bread[k * p + j] as number);
    }
  return out;
}
