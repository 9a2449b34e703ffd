// Normal, Student t and chi-square distribution functions for p-values and confidence intervals, accurate to about
// 1e-14 (incomplete gamma and beta functions by series and continued fractions, quantiles refined by Newton steps).

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  const z = x - 1;
  let a = LANCZOS[0] as number;
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += (LANCZOS[i] as number) / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Regularised upper incomplete gamma Q(a, x) = 1 - P(a, x), computed directly in the tail. */
export function gammaQ(a: number, x: number): number {
  if (x <= 0) return 1;
  if (x < a + 1) return 1 - gammaSeries(a, x);
  return gammaContinuedFraction(a, x);
}

function gammaSeries(a: number, x: number): number {
  let sum = 1 / a;
  let term = sum;
  for (let n = 1; n < 10_000; n++) {
    term *= x / (a + n);
    sum += term;
    if (Math.abs(term) < Math.abs(sum) * 1e-17) break;
  }
  return sum * Math.exp(-x + a * Math.log(x) - logGamma(a));
}

function gammaContinuedFraction(a: number, x: number): number {
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 10_000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(-x + a * Math.log(x) - logGamma(a)) * h;
}

/** Regularised incomplete beta I_x(a, b); `y` = 1 - x when the caller has it more precisely than 1 - x. */
export function betaRegularized(x: number, a: number, b: number, y: number = 1 - x): number {
  if (x <= 0) return 0;
  if (y <= 0) return 1;
  // log(x) and log(y) through log1p of the smaller one, so x near 1 (large df in the t distribution) keeps its digits.
  const logX = y < 0.5 ? Math.log1p(-y) : Math.log(x);
  const logY = x < 0.5 ? Math.log1p(-x) : Math.log(y);
  const front = Math.exp(logInverseBeta(a, b) + a * logX + b * logY);
  if (x < (a + 1) / (a + b + 2)) return (front * betaContinuedFraction(x, a, b)) / a;
  return 1 - (front * betaContinuedFraction(y, b, a)) / b;
}

/**
 * log(Gamma(a + b) / (Gamma(a) Gamma(b))). For b = 1/2 and large a (the t distribution's case) the difference of two
 * log-gammas near a log a would lose about log10(a log a) digits; the asymptotic series of
 * log Gamma(a + 1/2) - log Gamma(a) is used instead (terms beyond a^-7 are below 1e-20 for a >= 50).
 */
function logInverseBeta(a: number, b: number): number {
  if (b === 0.5 && a >= 50) return halfStepLogGamma(a) - LOG_GAMMA_HALF;
  if (a === 0.5 && b >= 50) return halfStepLogGamma(b) - LOG_GAMMA_HALF;
  return logGamma(a + b) - logGamma(a) - logGamma(b);
}

const LOG_GAMMA_HALF = 0.5 * Math.log(Math.PI);

/** log Gamma(a + 1/2) - log Gamma(a) for a >= 50. */
function halfStepLogGamma(a: number): number {
  const inverse = 1 / a;
  const inverse2 = inverse * inverse;
  return 0.5 * Math.log(a) - inverse / 8 + (inverse * inverse2) / 192 - (inverse * inverse2 * inverse2) / 640 + (17 * inverse * inverse2 ** 3) / 14336;
}

function betaContinuedFraction(x: number, a: number, b: number): number {
  const tiny = 1e-300;
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m < 10_000; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return h;
}

export function normalCdf(x: number): number {
  const z = x / Math.SQRT2;
  // erfc(|z|) = Q(1/2, z^2); the tail is computed directly so small p-values keep their precision.
  const tail = 0.5 * gammaQ(0.5, z * z);
  return x < 0 ? tail : 1 - tail;
}

/** Two-sided tail probability 2 * P(Z > |x|), precise for large |x|. */
export function normalTwoSidedP(x: number): number {
  return gammaQ(0.5, (x * x) / 2);
}

export function normalPdf(x: number): number {
  return Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
}

/** Inverse of the standard normal CDF (Acklam's rational approximation refined by two Newton steps). */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) {
    if (p === 0) return -Infinity;
    if (p === 1) return Infinity;
    return NaN;
  }
  // Upper half by symmetry: 1 - p is exact there, and Newton on the lower tail keeps full relative precision.
  if (p > 0.5) return -normalQuantile(1 - p);
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const [a0, a1, a2, a3, a4, a5] = a as [number, number, number, number, number, number];
  const [b0, b1, b2, b3, b4] = b as [number, number, number, number, number];
  const [c0, c1, c2, c3, c4, c5] = c as [number, number, number, number, number, number];
  const [d0, d1, d2, d3] = d as [number, number, number, number];
  let x: number;
  if (p < 0.02425) {
    const q = Math.sqrt(-2 * Math.log(p));
    x = (((((c0 * q + c1) * q + c2) * q + c3) * q + c4) * q + c5) / ((((d0 * q + d1) * q + d2) * q + d3) * q + 1);
  } else if (p > 1 - 0.02425) {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    x = -(((((c0 * q + c1) * q + c2) * q + c3) * q + c4) * q + c5) / ((((d0 * q + d1) * q + d2) * q + d3) * q + 1);
  } else {
    const q = p - 0.5;
    const r = q * q;
    x = ((((((a0 * r + a1) * r + a2) * r + a3) * r + a4) * r + a5) * q) / (((((b0 * r + b1) * r + b2) * r + b3) * r + b4) * r + 1);
  }
  for (let i = 0; i < 2; i++) {
    const error = normalCdf(x) - p;
    x -= error / normalPdf(x);
  }
  return x;
}

/** P(T > |t|) as I_x(df/2, 1/2) / 2 with x = df / (df + t^2), 1 - x passed exactly. */
function studentTUpperTail(t: number, df: number): number {
  const denominator = df + t * t;
  return 0.5 * betaRegularized(df / denominator, df / 2, 0.5, (t * t) / denominator);
}

export function studentTCdf(t: number, df: number): number {
  if (!Number.isFinite(df)) return normalCdf(t);
  const tail = studentTUpperTail(t, df);
  return t > 0 ? 1 - tail : tail;
}

/** Two-sided tail probability 2 * P(T > |t|). */
export function studentTTwoSidedP(t: number, df: number): number {
  if (!Number.isFinite(df)) return normalTwoSidedP(t);
  return 2 * studentTUpperTail(t, df);
}

function studentTPdf(t: number, df: number): number {
  return Math.exp(logGamma((df + 1) / 2) - logGamma(df / 2) - 0.5 * Math.log(df * Math.PI) - ((df + 1) / 2) * Math.log(1 + (t * t) / df));
}

export function studentTQuantile(p: number, df: number): number {
  if (!Number.isFinite(df)) return normalQuantile(p);
  if (p === 0.5) return 0;
  if (p > 0.5) return -studentTQuantile(1 - p, df); // 1 - p is exact; Newton on the lower tail keeps its precision
  // Start from the normal quantile with a Cornish–Fisher correction, then Newton on the exact CDF.
  const z = normalQuantile(p);
  let t = z + (z ** 3 + z) / (4 * df) + (5 * z ** 5 + 16 * z ** 3 + 3 * z) / (96 * df * df);
  for (let i = 0; i < 50; i++) {
    const step = (studentTCdf(t, df) - p) / studentTPdf(t, df);
    t -= step;
    if (Math.abs(step) < 1e-14 * Math.max(1, Math.abs(t))) break;
  }
  return t;
}

/** Upper tail P(X > x) of the chi-square distribution with df degrees of freedom. */
export function chiSquareUpperTail(x: number, df: number): number {
  return gammaQ(df / 2, x / 2);
}
