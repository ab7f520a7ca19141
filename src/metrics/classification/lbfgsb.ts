/**
 * scipy's `minimize(method="L-BFGS-B")` restricted to unbounded problems, as scikit-learn's
 * LogisticRegression(lbfgs) calls it. The iteration logic, Moré-Thuente line search (MINPACK-2
 * dcsrch/dcstep), acceptance of line-search warnings, restarts, update skipping, stopping tests and the
 * wrapper's iteration counting follow L-BFGS-B 3.0 (scipy/optimize/lbfgsb_src/lbfgsb.f, scipy 1.10) step
 * for step, because mteb stops at max_iter=100 before convergence on many tasks and the stopping point
 * decides the predictions. The quasi-Newton product uses the two-loop recursion, which equals the
 * Fortran compact form up to rounding (~1e-12 relative).
 */

const EPS = 2.220446049250313e-16;
const STPMAX = 1e10;
const LS_FTOL = 1e-3;
const LS_GTOL = 0.9;
const LS_XTOL = 0.1;

/** Writes the gradient at x into `grad` and returns the objective value. */
export type ObjectiveWithGradient = (x: Float64Array, grad: Float64Array) => number;

export interface LbfgsbOptions {
  /** scipy `maxiter`. */
  maxiter: number;
  /** scipy `gtol` (projected-gradient infinity norm). */
  gtol: number;
  /** scipy `ftol`: relative reduction tolerance (factr = ftol / eps). */
  ftol: number;
  /** Maximum line-search evaluations per iteration. */
  maxls: number;
  /** Number of stored correction pairs. */
  m?: number;
  maxfun?: number;
}

export interface LbfgsbResult {
  x: Float64Array;
  f: number;
  grad: Float64Array;
  /** Iterations as scipy's wrapper counts them (`OptimizeResult.nit`). */
  nit: number;
  nfev: number;
  /** 0 converged, 1 iteration/evaluation limit, 2 abnormal line-search termination. */
  status: 0 | 1 | 2;
  message: string;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

function maxAbs(a: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const v = Math.abs(a[i]);
    if (v > m) m = v;
  }
  return m;
}

/** State of MINPACK-2 dcsrch between calls. */
interface SearchState {
  brackt: boolean;
  stage: number;
  ginit: number;
  gtest: number;
  gx: number;
  gy: number;
  finit: number;
  fx: number;
  fy: number;
  stx: number;
  sty: number;
  stmin: number;
  stmax: number;
  width: number;
  width1: number;
}

interface StepState {
  stx: number;
  fx: number;
  dx: number;
  sty: number;
  fy: number;
  dy: number;
  stp: number;
  brackt: boolean;
}

/** MINPACK-2 dcstep: safeguarded cubic/quadratic step; updates the bracketing interval in place. */
function dcstep(s: StepState, fp: number, dp: number, stpmin: number, stpmax: number): void {
  const { stx, fx, dx, sty, fy, dy, stp } = s;
  const sgnd = dp * (dx / Math.abs(dx));
  let stpf: number;
  if (fp > fx) {
    const theta = (3 * (fx - fp)) / (stp - stx) + dx + dp;
    const sc = Math.max(Math.abs(theta), Math.abs(dx), Math.abs(dp));
    let gamma = sc * Math.sqrt((theta / sc) ** 2 - (dx / sc) * (dp / sc));
    if (stp < stx) gamma = -gamma;
    const p = gamma - dx + theta;
    const q = gamma - dx + gamma + dp;
    const r = p / q;
    const stpc = stx + r * (stp - stx);
    const stpq = stx + (dx / ((fx - fp) / (stp - stx) + dx) / 2) * (stp - stx);
    if (Math.abs(stpc - stx) < Math.abs(stpq - stx)) stpf = stpc;
    else stpf = stpc + (stpq - stpc) / 2;
    s.brackt = true;
  } else if (sgnd < 0) {
    const theta = (3 * (fx - fp)) / (stp - stx) + dx + dp;
    const sc = Math.max(Math.abs(theta), Math.abs(dx), Math.abs(dp));
    let gamma = sc * Math.sqrt((theta / sc) ** 2 - (dx / sc) * (dp / sc));
    if (stp > stx) gamma = -gamma;
    const p = gamma - dp + theta;
    const q = gamma - dp + gamma + dx;
    const r = p / q;
    const stpc = stp + r * (stx - stp);
    const stpq = stp + (dp / (dp - dx)) * (stx - stp);
    stpf = Math.abs(stpc - stp) > Math.abs(stpq - stp) ? stpc : stpq;
    s.brackt = true;
  } else if (Math.abs(dp) < Math.abs(dx)) {
    const theta = (3 * (fx - fp)) / (stp - stx) + dx + dp;
    const sc = Math.max(Math.abs(theta), Math.abs(dx), Math.abs(dp));
    let gamma = sc * Math.sqrt(Math.max(0, (theta / sc) ** 2 - (dx / sc) * (dp / sc)));
    if (stp > stx) gamma = -gamma;
    const p = gamma - dp + theta;
    const q = gamma + (dx - dp) + gamma;
    const r = p / q;
    let stpc: number;
    if (r < 0 && gamma !== 0) stpc = stp + r * (stx - stp);
    else if (stp > stx) stpc = stpmax;
    else stpc = stpmin;
    const stpq = stp + (dp / (dp - dx)) * (stx - stp);
    if (s.brackt) {
      stpf = Math.abs(stpc - stp) < Math.abs(stpq - stp) ? stpc : stpq;
      if (stp > stx) stpf = Math.min(stp + 0.66 * (sty - stp), stpf);
      else stpf = Math.max(stp + 0.66 * (sty - stp), stpf);
    } else {
      stpf = Math.abs(stpc - stp) > Math.abs(stpq - stp) ? stpc : stpq;
      stpf = Math.min(stpmax, stpf);
      stpf = Math.max(stpmin, stpf);
    }
  } else if (s.brackt) {
    const theta = (3 * (fp - fy)) / (sty - stp) + dy + dp;
    const sc = Math.max(Math.abs(theta), Math.abs(dy), Math.abs(dp));
    let gamma = sc * Math.sqrt((theta / sc) ** 2 - (dy / sc) * (dp / sc));
    if (stp > sty) gamma = -gamma;
    const p = gamma - dp + theta;
    const q = gamma - dp + gamma + dy;
    const r = p / q;
    stpf = stp + r * (sty - stp);
  } else if (stp > stx) {
    stpf = stpmax;
  } else {
    stpf = stpmin;
  }

  if (fp > fx) {
    s.sty = stp;
    s.fy = fp;
    s.dy = dp;
  } else {
    if (sgnd < 0) {
      s.sty = stx;
      s.fy = fx;
      s.dy = dx;
    }
    s.stx = stp;
    s.fx = fp;
    s.dx = dp;
  }
  s.stp = stpf;
}

type SearchTask = 'FG' | 'CONV' | 'WARN';

function dcsrchStart(f: number, g: number, stp: number, stpmax: number): SearchState {
  return {
    brackt: false,
    stage: 1,
    finit: f,
    ginit: g,
    gtest: LS_FTOL * g,
    width: stpmax,
    width1: stpmax / 0.5,
    stx: 0,
    fx: f,
    gx: g,
    sty: 0,
    fy: f,
    gy: g,
    stmin: 0,
    stmax: stp + 4 * stp,
  };
}

/** One dcsrch call after an evaluation at `stp`; returns the task and the next trial step. */
function dcsrchStep(st: SearchState, f: number, g: number, stp: number, stpmax: number): { task: SearchTask; stp: number } {
  const stpmin = 0;
  const ftest = st.finit + stp * st.gtest;
  if (st.stage === 1 && f <= ftest && g >= 0) st.stage = 2;

  let task: SearchTask = 'FG';
  if (st.brackt && (stp <= st.stmin || stp >= st.stmax)) task = 'WARN';
  if (st.brackt && st.stmax - st.stmin <= LS_XTOL * st.stmax) task = 'WARN';
  if (stp === stpmax && f <= ftest && g <= st.gtest) task = 'WARN';
  if (stp === stpmin && (f > ftest || g >= st.gtest)) task = 'WARN';
  if (f <= ftest && Math.abs(g) <= LS_GTOL * -st.ginit) task = 'CONV';
  if (task !== 'FG') return { task, stp };

  let s: StepState;
  if (st.stage === 1 && f <= st.fx && f > ftest) {
    const gtest = st.gtest;
    s = {
      stx: st.stx,
      fx: st.fx - st.stx * gtest,
      dx: st.gx - gtest,
      sty: st.sty,
      fy: st.fy - st.sty * gtest,
      dy: st.gy - gtest,
      stp,
      brackt: st.brackt,
    };
    dcstep(s, f - stp * gtest, g - gtest, st.stmin, st.stmax);
    st.fx = s.fx + s.stx * gtest;
    st.fy = s.fy + s.sty * gtest;
    st.gx = s.dx + gtest;
    st.gy = s.dy + gtest;
  } else {
    s = { stx: st.stx, fx: st.fx, dx: st.gx, sty: st.sty, fy: st.fy, dy: st.gy, stp, brackt: st.brackt };
    dcstep(s, f, g, st.stmin, st.stmax);
    st.fx = s.fx;
    st.fy = s.fy;
    st.gx = s.dx;
    st.gy = s.dy;
  }
  st.stx = s.stx;
  st.sty = s.sty;
  st.brackt = s.brackt;
  let next = s.stp;

  if (st.brackt) {
    if (Math.abs(st.sty - st.stx) >= 0.66 * st.width1) next = st.stx + 0.5 * (st.sty - st.stx);
    st.width1 = st.width;
    st.width = Math.abs(st.sty - st.stx);
  }
  if (st.brackt) {
    st.stmin = Math.min(st.stx, st.sty);
    st.stmax = Math.max(st.stx, st.sty);
  } else {
    st.stmin = next + 1.1 * (next - st.stx);
    st.stmax = next + 4 * (next - st.stx);
  }
  next = Math.max(next, stpmin);
  next = Math.min(next, stpmax);
  if ((st.brackt && (next <= st.stmin || next >= st.stmax)) || (st.brackt && st.stmax - st.stmin <= LS_XTOL * st.stmax)) {
    next = st.stx;
  }
  return { task: 'FG', stp: next };
}

/** Limited-memory correction pairs, oldest first. */
interface Memory {
  s: Float64Array[];
  y: Float64Array[];
  sy: number[];
  theta: number;
}

/**
 * z = x + H(-g) by the two-loop recursion with H0 = I/theta; q: scratch of x's length.
 *
 * Each update of q is fused with the dot product that reads it next (and the first with q = -g, the last with
 * the scaling, the final one with z = x + q): every element gets the same operations in the same order as the
 * separate passes (q[i] - a * y[i], then the dot's sequential sum over the updated q), so the bits are the
 * same, with half the passes over the memory (the vectors are 8 bytes x the parameters each, far bigger than
 * the caches at MTEB sizes, so the recursion is bound by memory traffic).
 */
function quasiNewtonPoint(x: Float64Array, g: Float64Array, mem: Memory, z: Float64Array, q: Float64Array): void {
  const n = x.length;
  const k = mem.s.length;
  const alpha = new Float64Array(k);
  // q = -g, and dot(s[k-1], q)
  let next = mem.s[k - 1];
  let acc = 0;
  for (let i = 0; i < n; i++) {
    const v = -g[i];
    q[i] = v;
    acc += next[i] * v;
  }
  const inv = 1 / mem.theta;
  for (let j = k - 1; j >= 0; j--) {
    const a = acc / mem.sy[j];
    alpha[j] = a;
    const yj = mem.y[j];
    acc = 0;
    if (j > 0) {
      // q -= a y[j], and dot(s[j-1], q)
      next = mem.s[j - 1];
      for (let i = 0; i < n; i++) {
        const v = q[i] - a * yj[i];
        q[i] = v;
        acc += next[i] * v;
      }
    } else {
      // q -= a y[0], q *= 1/theta, and dot(y[0], q)
      for (let i = 0; i < n; i++) {
        const v = (q[i] - a * yj[i]) * inv;
        q[i] = v;
        acc += yj[i] * v;
      }
    }
  }
  for (let j = 0; j < k; j++) {
    const b = acc / mem.sy[j];
    const sj = mem.s[j];
    const c = alpha[j] - b;
    acc = 0;
    if (j < k - 1) {
      // q += c s[j], and dot(y[j+1], q)
      next = mem.y[j + 1];
      for (let i = 0; i < n; i++) {
        const v = q[i] + c * sj[i];
        q[i] = v;
        acc += next[i] * v;
      }
    } else {
      // q += c s[k-1], and z = x + q
      for (let i = 0; i < n; i++) z[i] = x[i] + (q[i] + c * sj[i]);
    }
  }
}

export function minimizeLbfgsb(fun: ObjectiveWithGradient, x0: ArrayLike<number>, opts: LbfgsbOptions): LbfgsbResult {
  const n = x0.length;
  const m = opts.m ?? 10;
  const maxfun = opts.maxfun ?? 15000;
  const factr = opts.ftol / EPS;
  const tol = factr * EPS;
  const pgtol = opts.gtol;

  let x = Float64Array.from(x0);
  let g = new Float64Array(n);
  let f = fun(x, g);
  let nfev = 1;
  let nit = 0;
  let iter = 0;
  const mem: Memory = { s: [], y: [], sy: [], theta: 1 };
  const done = (status: 0 | 1 | 2, message: string): LbfgsbResult => ({ x, f, grad: g, nit, nfev, status, message });

  if (maxAbs(g) <= pgtol) return done(0, 'CONVERGENCE: NORM_OF_PROJECTED_GRADIENT_<=_PGTOL');

  const z = new Float64Array(n);
  const d = new Float64Array(n);
  const q = new Float64Array(n);
  for (;;) {
    // Search direction: Cauchy point x - g with an empty memory (theta = 1), else the L-BFGS step.
    if (mem.s.length === 0) {
      for (let i = 0; i < n; i++) z[i] = x[i] + -g[i];
    } else {
      quasiNewtonPoint(x, g, mem, z, q);
    }
    for (let i = 0; i < n; i++) d[i] = z[i] - x[i];

    // lnsrlb
    const dtd = dot(d, d);
    const dnorm = Math.sqrt(dtd);
    let stp = iter === 0 ? Math.min(1 / dnorm, STPMAX) : 1;
    const xOld = x;
    const gOld = g;
    const fOld = f;
    let gd = dot(g, d);
    const gdOld = gd;
    let failed = gd >= 0;
    let search: SearchState | undefined;
    let ifun = 0;
    if (!failed) {
      search = dcsrchStart(f, gd, stp, STPMAX);
      for (;;) {
        ifun++;
        if (ifun - 1 >= opts.maxls) {
          failed = true;
          break;
        }
        const xt = new Float64Array(n);
        if (stp === 1) xt.set(z);
        else for (let i = 0; i < n; i++) xt[i] = stp * d[i] + xOld[i];
        const gt = new Float64Array(n);
        const ft = fun(xt, gt);
        nfev++;
        x = xt;
        g = gt;
        f = ft;
        gd = dot(g, d);
        const r = dcsrchStep(search, f, gd, stp, STPMAX);
        if (r.task !== 'FG') break;
        stp = r.stp;
      }
    }
    if (failed) {
      x = xOld;
      g = gOld;
      f = fOld;
      if (mem.s.length === 0) {
        return done(2, 'ABNORMAL_TERMINATION_IN_LNSRCH');
      }
      mem.s = [];
      mem.y = [];
      mem.sy = [];
      mem.theta = 1;
      continue;
    }

    // NEW_X: the scipy wrapper counts the iteration and checks its limits before L-BFGS-B's own tests.
    iter++;
    nit++;
    if (nit >= opts.maxiter) return done(1, 'STOP: TOTAL NO. of ITERATIONS REACHED LIMIT');
    if (nfev > maxfun) return done(1, 'STOP: TOTAL NO. of f AND g EVALUATIONS EXCEEDS LIMIT');

    if (maxAbs(g) <= pgtol) return done(0, 'CONVERGENCE: NORM_OF_PROJECTED_GRADIENT_<=_PGTOL');
    const ddumF = Math.max(Math.abs(fOld), Math.abs(f), 1);
    if (fOld - f <= tol * ddumF) return done(0, 'CONVERGENCE: REL_REDUCTION_OF_F_<=_FACTR*EPSMCH');

    const yv = new Float64Array(n);
    for (let i = 0; i < n; i++) yv[i] = g[i] - gOld[i];
    const rr = dot(yv, yv);
    let dr: number;
    let ddum: number;
    const sv = new Float64Array(n);
    if (stp === 1) {
      dr = gd - gdOld;
      ddum = -gdOld;
      sv.set(d);
    } else {
      dr = (gd - gdOld) * stp;
      for (let i = 0; i < n; i++) sv[i] = stp * d[i];
      ddum = -gdOld * stp;
    }
    if (dr <= EPS * ddum) continue;
    mem.s.push(sv);
    mem.y.push(yv);
    mem.sy.push(dr);
    if (mem.s.length > m) {
      mem.s.shift();
      mem.y.shift();
      mem.sy.shift();
    }
    mem.theta = rr / dr;
  }
}
