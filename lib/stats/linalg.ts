// Small dense linear algebra on Float64Array (row-major, p x p with p up to a few dozen): weighted cross-products
// over n rows, Cholesky factorisation, solves and the inverse. The n-sized loops are the hot path and stay tight.

/** X'WX (upper triangle filled, then mirrored) and X'Wz for row-major X (n x p). */
export function weightedCrossProducts(X: Float64Array, n: number, p: number, w: Float64Array, z: Float64Array | null, xtwx: Float64Array, xtwz: Float64Array | null): void {
  xtwx.fill(0);
  if (xtwz) xtwz.fill(0);
  for (let i = 0; i < n; i++) {
    const wi = w[i] as number;
    if (wi === 0) continue;
    const offset = i * p;
    const wz = z ? wi * (z[i] as number) : 0;
    for (let a = 0; a < p; a++) {
      const xa = X[offset + a] as number;
      if (xa === 0) continue;
      const wxa = wi * xa;
      const row = a * p;
      for (let b = a; b < p; b++) xtwx[row + b]! += wxa * (X[offset + b] as number);
      if (xtwz) xtwz[a]! += xa * wz;
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
