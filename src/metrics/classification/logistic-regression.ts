/**
 * scikit-learn's `LogisticRegression(max_iter=100)` with the lbfgs solver (L2, C=1, tol=1e-4,
 * fit_intercept): binomial loss for two classes, multinomial softmax for more, solved by our port of
 * scipy's L-BFGS-B with the exact objective scaling and options of the chosen sklearn generation.
 *   - '1.2' (sklearn <= 1.3): F = sum(loss) + ||W||^2/(2C); scipy defaults maxls=20, ftol=2.22e-9.
 *   - '1.4' (sklearn >= 1.4, PR #26721): F = mean(loss) + ||W||^2/(2Cn); maxls=50, ftol=64*eps.
 * Both have the same minimiser but stop at different points when max_iter is hit, which is common for
 * mteb's few-shot problems; '1.4' is what mteb 1.12+ environments ran.
 */
import type { Matrix } from '../../core/matrix.js';
import { MtebError } from '../../core/errors.js';
import { minimizeLbfgsb } from './lbfgsb.js';
import { numpySum64 } from '../numeric/numpy-sum.js';
import { encodeLabels, uniqueLabels, type Label } from './labels.js';
import { acquireWorkspace, releaseWorkspace, type Dense64Workspace } from '../numeric/dense64/workspace.js';
import { SOFTMAX_ROWS, SOFTMAX_WORK_PER_OUTPUT } from './softmax-rows.js';

export type SklearnFlavour = '1.2' | '1.4';

export interface LogisticRegressionOptions {
  /** sklearn generation whose objective/options to reproduce (default '1.4'). */
  sklearn?: SklearnFlavour;
  maxIter?: number;
  /** Inverse regularisation strength. */
  C?: number;
  tol?: number;
  /** Threads for the matrix products (default: every core). The result has the same bits for any count. */
  threads?: number;
}

export interface LogisticRegressionModel {
  classes: Label[];
  /** 1 x p for two classes, K x p otherwise (row-major). */
  coef: Float64Array[];
  intercept: Float64Array;
  /** sklearn `n_iter_` = min(scipy nit, max_iter). */
  nIter: number;
  converged: boolean;
  /** Final objective value in the chosen flavour's scaling. */
  objective: number;
  message: string;
}

/**
 * Row-major float64 copy of the design matrix (sklearn widens float32 input exactly), into `into` when given
 * (a dense64 workspace's X).
 */
function toFloat64(X: Matrix, rows?: readonly number[], into?: (n: number, p: number) => Float64Array): { data: Float64Array; n: number; p: number } {
  const p = X.dim;
  const idx = rows ?? null;
  const n = idx ? idx.length : X.rows;
  const data = into ? into(n, p) : new Float64Array(n * p);
  for (let i = 0; i < n; i++) {
    const src = (idx ? idx[i] : i) * p;
    for (let j = 0; j < p; j++) data[i * p + j] = X.data[src + j];
  }
  return { data, n, p };
}

/** Binomial loss and gradient for one raw score, as sklearn's HalfBinomialLoss kernel evaluates them. */
function binomialLossGrad(z: number, t: number, out: { loss: number; grad: number }): void {
  if (z <= 0) {
    const e = Math.exp(z);
    out.loss = (z <= -37 ? e : Math.log1p(e)) - t * z;
    out.grad = ((1 - t) * e - t) / (1 + e);
  } else {
    const e = Math.exp(-z);
    out.loss = (z <= 18 ? Math.log1p(e) : e) + (1 - t) * z;
    out.grad = (1 - t - t * e) / (1 + e);
  }
}

/**
 * Objective for the binary case. Parameters [w_1..w_p, b]. Exposed for tests.
 */
export function binaryObjective(X: Float64Array, n: number, p: number, t: Float64Array, l2: number, scaleByN: boolean) {
  const lossArr = new Float64Array(n);
  const gp = new Float64Array(n);
  const tmp = { loss: 0, grad: 0 };
  return (w: Float64Array, grad: Float64Array): number => {
    const b = w[p];
    for (let i = 0; i < n; i++) {
      let z = 0;
      const off = i * p;
      for (let j = 0; j < p; j++) z += X[off + j] * w[j];
      z += b;
      binomialLossGrad(z, t[i], tmp);
      lossArr[i] = tmp.loss;
      gp[i] = tmp.grad;
    }
    let loss = numpySum64(lossArr);
    if (scaleByN) {
      loss /= n;
      for (let i = 0; i < n; i++) gp[i] /= n;
    }
    let ww = 0;
    for (let j = 0; j < p; j++) ww += w[j] * w[j];
    loss += 0.5 * l2 * ww;
    for (let j = 0; j < p; j++) grad[j] = 0;
    for (let i = 0; i < n; i++) {
      const gi = gp[i];
      const off = i * p;
      for (let j = 0; j < p; j++) grad[j] += X[off + j] * gi;
    }
    for (let j = 0; j < p; j++) grad[j] += l2 * w[j];
    grad[p] = numpySum64(gp);
    return loss;
  };
}

/**
 * Objective for K >= 3 classes. Parameters = K x (p+1) matrix [W | b] flattened column-major (scipy sees
 * what sklearn passes): index j*K + k for weight (k, j), p*K + k for intercept k. X lives in `ws` (setProblem).
 * The two products (scores X·W, gradient Xᵀ·G) run on dense64's fixed-order kernels: every score and gradient
 * entry is one sequential sum in increasing feature / row order, the order of the plain loops this replaced
 * (tests/metrics/dense64-kernels.test.ts keeps those loops and checks the bits), on any thread count.
 */
export function multinomialObjective(ws: Dense64Workspace, n: number, p: number, K: number, y: Int32Array, l2: number, scaleByN: boolean) {
  const bsum = new Float64Array(K);
  return (w: Float64Array, grad: Float64Array): number => {
    const bOff = p * K;
    // Scores and the gradient's input G live in the workspace's memory (no n x K copies): row i of the scores
    // at i * stride, G[i, k] in the gradient's panel layout.
    const { scores: raw, stride } = ws.forwardInPlace(w);
    const { panels: gp, n4 } = ws.gradientInput();
    // Per row, split over the threads (softmax-rows.ts): scores + intercepts, log-sum-exp, loss, G (divided by n
    // for '1.4'). Labels and intercepts are copied into the workspace's memory for the workers each time (the
    // layout may have been reused since the last evaluation).
    const rows = ws.rowArrays();
    rows.labels.set(y);
    rows.outputValues.set(w.subarray(bOff, bOff + K));
    ws.runRows(SOFTMAX_ROWS, n, n * K * SOFTMAX_WORK_PER_OUTPUT, [raw.byteOffset, stride, gp.byteOffset, n4, K, rows.at.labels, rows.at.rowValues, rows.at.outputValues, scaleByN ? 1 : 0, n]);
    // The sums across rows, here in row order: each intercept's sum of G's column (as the one-pass loop added
    // them), then the loss.
    for (let k = 0; k < K; k++) {
      const base = (k >> 2) * n4 * 4 + (k & 3);
      let s = 0;
      for (let i = 0; i < n; i++) s += gp[base + i * 4];
      bsum[k] = s;
    }
    let loss = numpySum64(rows.rowValues);
    if (scaleByN) loss /= n;
    let ww = 0;
    for (let q = 0; q < bOff; q++) ww += w[q] * w[q];
    loss += 0.5 * l2 * ww;
    const g = ws.gradientOfInput();
    for (let k = 0; k < K; k++) grad[bOff + k] = bsum[k];
    for (let q = 0; q < bOff; q++) grad[q] = g[q] + l2 * w[q];
    return loss;
  };
}

/**
 * Fits on the rows `rows` of X (all rows when omitted) with labels y (one per selected row).
 * Throws MtebError when the training labels hold a single class: sklearn raises ValueError there,
 * so mteb itself would abort the task.
 */
export function fitLogisticRegression(
  X: Matrix,
  y: readonly Label[],
  opts: LogisticRegressionOptions & { rows?: readonly number[]; task?: string } = {},
): LogisticRegressionModel {
  // K >= 3 classes: the multinomial products run on a dense64 workspace (binary fits are one pass, plain loops).
  const ws = uniqueLabels(y as Label[]).length > 2 ? acquireWorkspace(opts.threads) : undefined;
  try {
    return fit(X, y, opts, ws);
  } finally {
    if (ws) releaseWorkspace(ws);
  }
}

function fit(X: Matrix, y: readonly Label[], opts: LogisticRegressionOptions & { rows?: readonly number[]; task?: string }, ws?: Dense64Workspace): LogisticRegressionModel {
  const flavour = opts.sklearn ?? '1.4';
  const maxIter = opts.maxIter ?? 100;
  const C = opts.C ?? 1;
  const tol = opts.tol ?? 1e-4;
  const { data, n, p } = toFloat64(X, opts.rows, ws ? (rows, cols) => ws.setProblem(rows, cols, uniqueLabels(y as Label[]).length) : undefined);
  if (y.length !== n) throw new MtebError('E_INTERNAL', `logistic regression: ${n} rows but ${y.length} labels`);
  const classes = uniqueLabels(y as Label[]);
  if (classes.length < 2) {
    throw new MtebError(
      'E_BAD_VALUE',
      `logistic regression needs at least 2 classes in the training sample, got only ${JSON.stringify(classes[0])} ` +
        '(scikit-learn raises ValueError here)',
      { task: opts.task, field: 'label' },
    );
  }
  const scale = flavour === '1.4';
  const l2 = scale ? 1 / (C * n) : 1 / C;
  const lbfgsOpts =
    flavour === '1.4'
      ? { maxiter: maxIter, gtol: tol, maxls: 50, ftol: 64 * 2.220446049250313e-16 }
      : { maxiter: maxIter, gtol: tol, maxls: 20, ftol: 2.2204460492503131e-9 };
  const yi = encodeLabels(y, classes);

  if (classes.length === 2) {
    const t = new Float64Array(n);
    for (let i = 0; i < n; i++) t[i] = yi[i] === 1 ? 1 : 0;
    const res = minimizeLbfgsb(binaryObjective(data, n, p, t, l2, scale), new Float64Array(p + 1), lbfgsOpts);
    return {
      classes,
      coef: [res.x.slice(0, p)],
      intercept: Float64Array.of(res.x[p]),
      nIter: Math.min(res.nit, maxIter),
      converged: res.status === 0,
      objective: res.f,
      message: res.message,
    };
  }
  const K = classes.length;
  if (!ws) throw new MtebError('E_INTERNAL', 'logistic regression: no workspace for a multinomial fit');
  const res = minimizeLbfgsb(multinomialObjective(ws, n, p, K, yi, l2, scale), new Float64Array(K * (p + 1)), lbfgsOpts);
  const coef: Float64Array[] = [];
  for (let k = 0; k < K; k++) {
    const c = new Float64Array(p);
    for (let j = 0; j < p; j++) c[j] = res.x[j * K + k];
    coef.push(c);
  }
  const intercept = new Float64Array(K);
  for (let k = 0; k < K; k++) intercept[k] = res.x[p * K + k];
  return {
    classes,
    coef,
    intercept,
    nIter: Math.min(res.nit, maxIter),
    converged: res.status === 0,
    objective: res.f,
    message: res.message,
  };
}

/**
 * `decision_function`: n x (1 or K) scores in float64, row-major; score = (sum over features in increasing order
 * of x * coef) + intercept, on dense64's fixed-order kernels.
 */
export function decisionFunction(model: LogisticRegressionModel, X: Matrix, threads?: number): Float64Array {
  const p = X.dim;
  const K = model.coef.length;
  if (model.coef[0].length !== p) {
    throw new MtebError('E_EMBEDDING_DIM', `model has ${model.coef[0].length} features, test embeddings have ${p}`);
  }
  const w = new Float64Array(p * K);
  for (let k = 0; k < K; k++) for (let j = 0; j < p; j++) w[j * K + k] = model.coef[k][j];
  const ws = acquireWorkspace(threads);
  try {
    toFloat64(X, undefined, (n, cols) => ws.setProblem(n, cols, K));
    const out = ws.forward(w);
    for (let i = 0; i < X.rows; i++) for (let k = 0; k < K; k++) out[i * K + k] += model.intercept[k];
    return out;
  } finally {
    releaseWorkspace(ws);
  }
}

/** `predict`: classes[1] when the binary score is > 0 (ties to classes[0]); argmax (first) otherwise. */
export function predict(model: LogisticRegressionModel, X: Matrix): Label[] {
  const scores = decisionFunction(model, X);
  const K = model.coef.length;
  const out: Label[] = new Array(X.rows);
  for (let i = 0; i < X.rows; i++) {
    if (K === 1) {
      out[i] = scores[i] > 0 ? model.classes[1] : model.classes[0];
    } else {
      let best = 0;
      for (let k = 1; k < K; k++) if (scores[i * K + k] > scores[i * K + best]) best = k;
      out[i] = model.classes[best];
    }
  }
  return out;
}
