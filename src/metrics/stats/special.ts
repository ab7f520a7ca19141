/**
 * Special functions behind scipy's p-values. SummEval's legacy score averages p-values into the reported
 * number (mteb issue #1156), so they must match scipy 1.10 to ~1e-13, not just "look right":
 * - Student t sf: scipy.special.stdtr is cdflib's cumt -> bratio (TOMS 708) on x = df/(df+t²), y = t²/(df+t²).
 * - Beta sf: scipy.stats.beta.sf is Boost's ibetac.
 * Both reduce to the regularized incomplete beta function I_x(a, b), computed here by the continued
 * fraction on the side where it converges fast, with the complement y passed explicitly so that
 * 1 - x is never formed when the caller already knows it exactly.
 */

const EPS = 2.220446049250313e-16;
const TINY = 1e-300;

// Lanczos approximation, g = 7, n = 9 (Godfrey's coefficients): ~1e-15 relative for x > 0.
const LANCZOS_G = 7;
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];
const HALF_LOG_2PI = 0.91893853320467274178;

/** ln Γ(x) for x > 0: Lanczos below 15, Stirling's series above (≈1e-15 relative either way). */
export function lnGamma(x: number): number {
  if (Number.isNaN(x) || x <= 0) return NaN;
  if (x < 0.5) {
    // Reflection keeps accuracy near 0: Γ(x)Γ(1-x) = π / sin(πx).
    return Math.log(Math.PI / Math.sin(Math.PI * x)) - lnGamma(1 - x);
  }
  if (x >= 15) return stirlingLnGamma(x);
  const z = x - 1;
  let s = LANCZOS[0];
  for (let i = 1; i < LANCZOS_G + 2; i++) s += LANCZOS[i] / (z + i);
  const t = z + LANCZOS_G + 0.5;
  return HALF_LOG_2PI + (z + 0.5) * Math.log(t) - t + Math.log(s);
}

// Stirling series with Bernoulli terms; at x >= 15 seven terms reach double precision.
function stirlingLnGamma(x: number): number {
  const x2 = 1 / (x * x);
  const series =
    (1 / 12 - x2 * (1 / 360 - x2 * (1 / 1260 - x2 * (1 / 1680 - x2 * (1 / 1188 - x2 * (691 / 360360 - x2 / 156)))))) /
    x;
  return (x - 0.5) * Math.log(x) - x + HALF_LOG_2PI + series;
}

/** ln B(a, b) = ln Γ(a) + ln Γ(b) − ln Γ(a + b). */
export function lnBeta(a: number, b: number): number {
  return lnGamma(a) + lnGamma(b) - lnGamma(a + b);
}

/**
 * Regularized incomplete beta I_x(a, b) for a, b > 0 and x in [0, 1]. `y` is 1 − x when the caller knows it
 * more precisely than `1 - x` (as scipy's callers do); it defaults to 1 − x.
 */
export function betaIncReg(a: number, b: number, x: number, y: number = 1 - x): number {
  if ([a, b, x, y].some(Number.isNaN) || a <= 0 || b <= 0) return NaN;
  if (x <= 0) return 0;
  if (y <= 0) return 1;
  // The continued fraction for I_x(a,b) converges quickly for x < (a+1)/(a+b+2); otherwise use the symmetry
  // I_x(a,b) = 1 − I_y(b,a). The result then carries relative accuracy where it is small (the tail), which
  // is where p-values need it.
  if (x < (a + 1) / (a + b + 2)) return (betaPrefix(a, b, x, y) * betaContinuedFraction(a, b, x)) / a;
  return 1 - (betaPrefix(b, a, y, x) * betaContinuedFraction(b, a, y)) / b;
}

/** Complement 1 − I_x(a, b) = I_y(b, a), without cancellation. */
export function betaIncRegComplement(a: number, b: number, x: number, y: number = 1 - x): number {
  return betaIncReg(b, a, y, x);
}

// x^a y^b / B(a, b), in logs only when the direct product would under- or overflow.
function betaPrefix(a: number, b: number, x: number, y: number): number {
  const lb = lnBeta(a, b);
  const direct = Math.pow(x, a) * Math.pow(y, b);
  if (direct > 1e-280 && direct < 1e280 && Math.abs(lb) < 600) return direct / Math.exp(lb);
  return Math.exp(a * Math.log(x) + b * Math.log(y) - lb);
}

// Modified Lentz evaluation of the classic continued fraction (DLMF 8.17.22).
function betaContinuedFraction(a: number, b: number, x: number): number {
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 100000; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < EPS / 4) return h;
  }
  return h;
}

/**
 * Survival function of Student's t with `df` degrees of freedom, as scipy.special.stdtr(df, -t) computes it
 * (cdflib cumt): x = df/(df+t²), y = t²/(df+t²), sf = ½·I_x(df/2, ½) for t > 0.
 */
export function studentTSf(t: number, df: number): number {
  if (Number.isNaN(t) || Number.isNaN(df) || !(df > 0)) return NaN;
  // df = ∞ (scipy switches to the normal cdf) never arises from a finite sample; it yields NaN here.
  if (df === Infinity) return NaN;
  const tt = t * t;
  const dfptt = df + tt;
  const xx = df / dfptt;
  const yy = tt / dfptt;
  // cdflib's cumbet: x <= 0 (t = ±inf) gives cum = 0; y <= 0 (t = 0) gives cum = 1.
  let a: number;
  let oma: number;
  if (!(xx > 0)) {
    a = 0;
    oma = 1;
  } else if (!(yy > 0)) {
    a = 1;
    oma = 0;
  } else {
    a = betaIncReg(0.5 * df, 0.5, xx, yy);
    oma = betaIncReg(0.5, 0.5 * df, yy, xx);
  }
  // cumt(t): for t <= 0, cum = a/2 and ccum = oma + cum; the sf at t is the cdf at −t.
  return t >= 0 ? 0.5 * a : oma + 0.5 * a;
}
