/**
 * scikit-learn's `MiniBatchKMeans(init="k-means++", n_init=1)` re-implemented step for step: the same
 * RandomState draws in the same order (validation indices, init subsample, k-means++ trials, minibatches,
 * reassignment permutations), the same float32/float64 arithmetic on centres and counts, the same early
 * stopping on the EWA of batch inertia and the same final full-data labelling. On small problems the labels
 * are identical to sklearn's; on large float32 embeddings the BLAS dot products (whose accumulation order is
 * not reproducible) can flip near-tie assignments, so agreement there is statistical (see docs/BENCHMARKS.md).
 * Float32 rows run each step's labels, inertia and centre update on dense64's k-means kernels (kmeans32.ts) with
 * the bits of the loops below, which stay for float64 rows and as the kernels' test reference (`plainLoops`).
 */
import { acquireWorkspace, defaultThreads, releaseWorkspace, type Dense64Workspace } from '../numeric/dense64/workspace.js';
import { KMeans32 } from './kmeans32.js';
import { resolveScoreProducts, type KMeansProductsOption, type ScoreProducts } from './blas-products.js';
import { MtebError } from '../../core/errors.js';
import { RandomState } from '../../rng/numpy-random-state.js';
import { numpySum32, numpySum64 } from '../numeric/numpy-sum.js';
import { numpyArgsort } from '../numeric/numpy-argsort.js';
import { GramDots } from './gram-dots.js';
import { dot64 } from './dot64.js';
import { rowSquares } from './row-squares.js';

/** Row-major dense data; a `Matrix` (Float32Array) is the usual input, Float64Array mirrors float64 numpy input. */
export interface DenseRows {
  readonly rows: number;
  readonly dim: number;
  readonly data: Float32Array | Float64Array;
}

/**
 * Which scikit-learn k-means++ to follow. '1.2': first centre by `randint`, potentials by numpy sum.
 * '1.3' (1.3–1.7): first centre by weighted `choice` (one double), potentials by a unit-weight dot product.
 * '1.8': as 1.3 with the candidate cumsum in the data dtype. Everything after initialisation is shared.
 */
export type KMeansPlusPlusVariant = '1.2' | '1.3' | '1.8';

export interface MiniBatchKMeansOptions {
  nClusters: number;
  /** sklearn default 1024; mteb passes 500 (legacy) or 512 (fast). */
  batchSize?: number;
  maxIter?: number;
  maxNoImprovement?: number | null;
  reassignmentRatio?: number;
  initSize?: number | null;
  /** Only 0 (sklearn's and mteb's value) skips the centre-shift test; > 0 uses tol × mean feature variance. */
  tol?: number;
  /** An integer makes a fresh RandomState(seed) (sklearn `random_state=int`); an instance is consumed in place. */
  seed?: number | RandomState;
  kmeansPlusPlus?: KMeansPlusPlusVariant;
  /** Worker threads for the dense kernels (default: every core); the result is the same for every count. */
  threads?: number;
  /**
   * Float32 rows through the plain JavaScript loops (and dense64's float64 pre-pass) that the k-means kernels
   * replaced: the same bits, slower; kept as the tests' reference.
   */
  plainLoops?: boolean;
  /**
   * Approximate scores of the float32 kernels (blas-products.ts): 'auto' (default) the system BLAS's SGEMM when
   * one loads, 'off' dense64's SIMD products, or an SGEMM object. Never changes a result (exact replay decides).
   */
  products?: KMeansProductsOption;
}

export interface MiniBatchKMeansResult {
  labels: Int32Array;
  centers: Float32Array | Float64Array;
  /** Per-centre accumulated weights (sklearn `_counts`). */
  counts: Float32Array | Float64Array;
  inertia: number;
  nSteps: number;
  nIter: number;
  /** Indices (into the init subsample) of the k-means++ centres. */
  initIndices: number[];
}

type Round = (x: number) => number;
/** Rows per dense64 call when labelling (8 MB of float32 rows at 1,024 dims). */
const ASSIGN_CHUNK = 2048;
const identity: Round = (x) => x;

/** Labels of `fit_predict` / `labels_`. */
export function miniBatchKMeans(X: DenseRows, opts: MiniBatchKMeansOptions): Int32Array {
  return fitMiniBatchKMeans(X, opts).labels;
}

export function fitMiniBatchKMeans(X: DenseRows, opts: MiniBatchKMeansOptions): MiniBatchKMeansResult {
  const n = X.rows;
  const d = X.dim;
  const k = opts.nClusters;
  if (!Number.isInteger(k) || k < 1) throw new MtebError('E_BAD_VALUE', `n_clusters must be a positive integer, got ${k}`);
  if (n < k) throw new MtebError('E_BAD_VALUE', `n_samples=${n} should be >= n_clusters=${k}`);
  if (X.data.length !== n * d) throw new MtebError('E_INTERNAL', `data has ${X.data.length} values, expected ${n}x${d}`);
  const kernels = X.data instanceof Float32Array && !opts.plainLoops;
  const f32 = X.data instanceof Float32Array;
  const R: Round = f32 ? Math.fround : identity;
  const alloc = (len: number): Float32Array | Float64Array => (f32 ? new Float32Array(len) : new Float64Array(len));
  const batchSizeParam = opts.batchSize ?? 1024;
  const maxIter = opts.maxIter ?? 100;
  const maxNoImprovement = opts.maxNoImprovement === undefined ? 10 : opts.maxNoImprovement;
  const ratio = opts.reassignmentRatio ?? 0.01;
  const variant = opts.kmeansPlusPlus ?? '1.2';
  const rs = opts.seed instanceof RandomState ? opts.seed : new RandomState(opts.seed ?? 0);

  const b = Math.min(batchSizeParam, n);
  let initSize = opts.initSize ?? null;
  if (initSize === null) {
    initSize = 3 * b;
    if (initSize < k) initSize = 3 * k;
  } else if (initSize < k) {
    initSize = 3 * k;
  }
  initSize = Math.min(initSize, n);

  // Validation indices: drawn even for a single init, so they shift every later draw.
  for (let i = 0; i < initSize; i++) rs.randint(0, n);
  let sub: number[];
  if (initSize < n) {
    sub = new Array<number>(initSize);
    for (let i = 0; i < initSize; i++) sub[i] = rs.randint(0, n);
  } else {
    sub = Array.from({ length: n }, (_, i) => i);
  }
  const threads = opts.threads ?? defaultThreads();
  if (!Number.isInteger(threads) || threads < 1) throw new MtebError('E_BAD_VALUE', `threads must be a positive integer, got ${threads}`);
  // Float32 rows run on the k-means kernels (in this workspace's memory), float64 rows on the loops below.
  const products = kernels ? resolveScoreProducts(opts.products) : undefined;
  const ws = kernels ? acquireWorkspace(threads) : undefined;
  try {
    // sklearn's input validation rejects non-finite values too. The float32 kernels' path checks each row's sum
    // of squares, which its error bounds need anyway (one pass over the input for both); with a BLAS whose
    // DSYRK is worth it (gramMatrix), that pass runs beside k-means++'s Gram matrix on a worker thread.
    let rowSq: Float64Array | undefined;
    const gram = products?.dsyrkLower && useGram(k, sub.length, d, threads) ? gramMatrix(ws!, X.data as Float32Array, sub, d, products, () => (rowSq = rowSquares(X.data as Float32Array, n, d))) : undefined;
    if (kernels && !rowSq) rowSq = rowSquares(X.data as Float32Array, n, d);
    if (rowSq ? !rowSq.every(Number.isFinite) : !allFinite(X.data)) {
      for (let i = 0; i < X.data.length; i++) {
        if (!Number.isFinite(X.data[i])) {
          throw new MtebError('E_EMBEDDING_NAN', `embedding row ${Math.floor(i / d)} has a non-finite value (${X.data[i]})`);
        }
      }
    }
    const tolScaled = opts.tol && opts.tol > 0 ? opts.tol * meanVariance(X) : 0;
    const { centers: initCenters, indices: initIndices } = kmeansPlusPlus(X, sub, k, rs, variant, R, threads, gram, ws);

    const steps: StepArithmetic = ws
      ? new KMeans32(ws, X.data as Float32Array, n, d, k, b, products, rowSq)
      : new PlainSteps(X, k, R, alloc, threads);
    steps.centers().set(initCenters);
    const counts = alloc(k);
    let ewa: number | null = null;
    let ewaMin: number | null = null;
    let noImprovement = 0;
    let sinceReassign = 0;
    const nSteps = Math.floor((maxIter * n) / b);

    const batch = new Int32Array(b);
    const batchLabels = new Int32Array(b);
    let step = 0;
    for (step = 0; step < nSteps; step++) {
      for (let t = 0; t < b; t++) batch[t] = rs.randint(0, n);

      sinceReassign += b;
      let reassign = false;
      let anyEmpty = false;
      for (let j = 0; j < k; j++) if (counts[j] === 0) anyEmpty = true;
      if (anyEmpty || sinceReassign >= 10 * k) {
        sinceReassign = 0;
        reassign = true;
      }

      const batchInertia = steps.assign(batch, batchLabels);
      steps.update(batch, batchLabels, counts);
      const centersNew = steps.centersNew();

      if (reassign && ratio > 0) {
        let maxW = -Infinity;
        for (let j = 0; j < k; j++) if (counts[j] > maxW) maxW = counts[j];
        // numpy compares the float32 array with the float64 scalar after casting the scalar to float32.
        const threshold = R(ratio * maxW);
        const toRe = new Array<boolean>(k);
        let nRe = 0;
        for (let j = 0; j < k; j++) {
          toRe[j] = counts[j] < threshold;
          if (toRe[j]) nRe++;
        }
        if (nRe > 0.5 * b) {
          // Only the floor(b/2) lightest clusters may move, picked by `np.argsort(weight_sums)`: numpy's unstable
          // introsort decides which of exactly tied clusters stay, so its order is ported (a stable sort diverges).
          const order = numpyArgsort(counts);
          for (let t = Math.floor(0.5 * b); t < k; t++) toRe[order[t]] = false;
          nRe = toRe.filter(Boolean).length;
        }
        if (nRe > 0) {
          const perm = rs.permutation(b);
          let t = 0;
          for (let j = 0; j < k; j++) {
            if (!toRe[j]) continue;
            const src = batch[perm[t++]] * d;
            for (let f = 0; f < d; f++) centersNew[j * d + f] = X.data[src + f];
          }
          let minKept = Infinity;
          for (let j = 0; j < k; j++) if (!toRe[j] && counts[j] < minKept) minKept = counts[j];
          for (let j = 0; j < k; j++) if (toRe[j]) counts[j] = minKept;
        }
      }

      let shift = 0;
      if (tolScaled > 0) {
        const centers = steps.centers();
        for (let i = 0; i < k * d; i++) {
          const diff = centersNew[i] - centers[i];
          shift += diff * diff;
        }
      }
      steps.swap();

      // Early stopping on the exponentially weighted average of the mean batch inertia.
      const s = step + 1;
      if (s === 1) continue;
      const bi = batchInertia / b;
      if (ewa === null) ewa = bi;
      else {
        const alpha = Math.min((b * 2.0) / (n + 1), 1);
        ewa = ewa * (1 - alpha) + bi * alpha;
      }
      if (tolScaled > 0 && shift <= tolScaled) break;
      if (ewaMin === null || ewa < ewaMin) {
        noImprovement = 0;
        ewaMin = ewa;
      } else {
        noImprovement++;
      }
      if (maxNoImprovement !== null && noImprovement >= maxNoImprovement) break;
    }
    const stepsDone = Math.min(step, nSteps - 1) + 1;

    const all = new Int32Array(n);
    for (let i = 0; i < n; i++) all[i] = i;
    const labels = new Int32Array(n);
    const inertia = steps.assign(all, labels);
    return {
      labels,
      centers: steps.centers().slice(),
      counts,
      inertia,
      nSteps: stepsDone,
      nIter: Math.ceil((stepsDone * b) / n),
      initIndices,
    };
  } finally {
    if (ws) releaseWorkspace(ws);
  }
}

/** One step's arithmetic on the centres: the kernels (kmeans32.ts) for float32 rows, or the loops below. */
interface StepArithmetic {
  /** The current centres (written in place by the initialisation). */
  centers(): Float32Array | Float64Array;
  /** Where `update` writes the next centres (the reassignment edits them there). */
  centersNew(): Float32Array | Float64Array;
  swap(): void;
  /** Labels of the rows `rowsIdx` into `out`, returning their `_inertia_dense`. */
  assign(rowsIdx: ArrayLike<number>, out: Int32Array): number;
  update(batch: Int32Array, labels: Int32Array, counts: Float32Array | Float64Array): void;
}

/** The plain JavaScript loops (float64 rows; float32 rows as the kernels' reference). */
class PlainSteps implements StepArithmetic {
  private c: Float32Array | Float64Array;
  private cNew: Float32Array | Float64Array;
  private readonly cnorm: Float32Array | Float64Array;
  constructor(
    private readonly X: DenseRows,
    private readonly k: number,
    private readonly R: Round,
    alloc: (len: number) => Float32Array | Float64Array,
    private readonly threads: number,
  ) {
    this.c = alloc(k * X.dim);
    this.cNew = alloc(k * X.dim);
    this.cnorm = alloc(k);
  }
  centers() {
    return this.c;
  }
  centersNew() {
    return this.cNew;
  }
  swap(): void {
    [this.c, this.cNew] = [this.cNew, this.c];
  }
  assign(rowsIdx: ArrayLike<number>, out: Int32Array): number {
    centerNorms(this.c, this.k, this.X.dim, this.cnorm, this.R);
    assignRows(this.X, rowsIdx, this.c, this.cnorm, this.k, out, this.threads);
    return inertiaOf(this.X, rowsIdx, this.c, out, this.R);
  }
  update(batch: Int32Array, labels: Int32Array, counts: Float32Array | Float64Array): void {
    updateCenters(this.X, batch, labels, this.c, this.cNew, counts, this.k, this.R);
  }
}

/**
 * Squared centre norms as sklearn's `row_norms(centers, squared=True)` computes them: `np.einsum("ij,ij->i")`,
 * whose x86-64 kernel (`sum_of_products_contig_contig_outstride0_two`, numpy's SSE baseline) keeps one
 * accumulator per SIMD lane (4 for float32, 2 for float64), multiplies then adds (no fused multiply-add), takes
 * blocks of four vectors last-first, then one vector at a time, and ends with two horizontal adds
 * ((l0 + l1) + (l2 + l3)). Exactly tied label scores then break as sklearn's do (issue 21: a plain sum put
 * reassigned, nearly equal centres in the other order).
 */
function centerNorms(c: ArrayLike<number>, k: number, d: number, out: Float32Array | Float64Array, R: Round): void {
  const lanes = out instanceof Float32Array ? 4 : 2;
  const acc = new Float64Array(lanes);
  const sq = (v: number) => R(v * v);
  for (let j = 0; j < k; j++) {
    const o = j * d;
    acc.fill(0);
    let i = 0;
    for (; d - i >= 4 * lanes; i += 4 * lanes) {
      for (let l = 0; l < lanes; l++) {
        let a = acc[l];
        for (let u = 3; u >= 0; u--) a = R(sq(c[o + i + u * lanes + l]) + a);
        acc[l] = a;
      }
    }
    for (; i < d; i += lanes) {
      for (let l = 0; l < lanes && i + l < d; l++) acc[l] = R(sq(c[o + i + l]) + acc[l]);
    }
    out[j] = lanes === 4 ? R(R(acc[0] + acc[1]) + R(acc[2] + acc[3])) : R(acc[0] + acc[1]);
  }
}

/**
 * sklearn's label rule: score_j = ‖c_j‖² + (−2 x·c_j) in the data dtype, first strict minimum wins. For float32
 * the dot product is accumulated like OpenBLAS's FMA kernels (one rounding per multiply-add: a float32 product is
 * exact in a double, so fround(acc + x·c) is a fused multiply-add); this matched sklearn's labels on every golden
 * case, where a plain float64 accumulation did not. That serial chain is slow, so scores are first computed in
 * float64 and the exact float32 chain is replayed only for rows whose best and runner-up scores are closer than
 * the float32 error bound. Wide vectors may still differ from sklearn on exact near-ties because the BLAS kernel
 * splits the sum across SIMD lanes.
 */
function assignRows(
  X: DenseRows,
  rowsIdx: ArrayLike<number>,
  c: Float32Array | Float64Array,
  cnorm: ArrayLike<number>,
  k: number,
  out: Int32Array,
  threads: number,
): void {
  const d = X.dim;
  const x = X.data;
  if (!(x instanceof Float32Array)) {
    for (let t = 0; t < rowsIdx.length; t++) {
      const o = rowsIdx[t] * d;
      let best = 0;
      let bestScore = Infinity;
      for (let j = 0; j < k; j++) {
        const score = cnorm[j] + -2 * dot64(x, o, c, j * d, d);
        if (j === 0 || score < bestScore) {
          bestScore = score;
          best = j;
        }
      }
      out[t] = best;
    }
    return;
  }
  const cLen = new Float64Array(k);
  for (let j = 0; j < k; j++) cLen[j] = Math.sqrt(dot64(c, j * d, c, j * d, d));
  const relErr = (d + 8) * 2 ** -23;
  const approx = new Float64Array(k);
  // The float64 scores only pick the rows that need the exact float32 replay below, so any fixed computation
  // within the bound does; dense64's kernels (one sequential float64 sum per row and centre) give it in chunks.
  const ws = acquireWorkspace(threads);
  try {
    for (let s0 = 0; s0 < rowsIdx.length; s0 += ASSIGN_CHUNK) {
      const m = Math.min(ASSIGN_CHUNK, rowsIdx.length - s0);
      const rows = ws.setProblem32(m, d, k);
      for (let r = 0; r < m; r++) rows.set(x.subarray(rowsIdx[s0 + r] * d, rowsIdx[s0 + r] * d + d), r * d);
      const dots = ws.forward(c, true);
      for (let r = 0; r < m; r++) {
        for (let j = 0; j < k; j++) approx[j] = cnorm[j] - 2 * dots[r * k + j];
        out[s0 + r] = pickLabel(x, rowsIdx[s0 + r] * d, d, c, cnorm, k, approx, cLen, relErr);
      }
    }
  } finally {
    releaseWorkspace(ws);
  }
}

/** The best centre for one row from its float64 scores, replaying the exact float32 chain when they are too close. */
function pickLabel(
  x: Float32Array,
  o: number,
  d: number,
  c: Float32Array | Float64Array,
  cnorm: ArrayLike<number>,
  k: number,
  approx: Float64Array,
  cLen: Float64Array,
  relErr: number,
): number {
  const xLen = Math.sqrt(dot64(x, o, x, o, d));
    let best = 0;
    for (let q = 1; q < k; q++) if (approx[q] < approx[best]) best = q;
    const tolBest = relErr * (2 * xLen * cLen[best] + cnorm[best]);
    let ambiguous = false;
    for (let j = 0; j < k && !ambiguous; j++) {
      if (j !== best && approx[j] - approx[best] <= tolBest + relErr * (2 * xLen * cLen[j] + cnorm[j])) ambiguous = true;
    }
    if (ambiguous) {
      let bestScore = Infinity;
      for (let j = 0; j < k; j++) {
        const co = j * d;
        let dot = 0;
        for (let f = 0; f < d; f++) dot = Math.fround(dot + x[o + f] * c[co + f]);
        const score = Math.fround(cnorm[j] + Math.fround(-2 * dot));
        if (j === 0 || score < bestScore) {
          bestScore = score;
          best = j;
        }
      }
    }
    return best;
}

/** `_inertia_dense` with one thread: squared distances in groups of four features, summed in the data dtype. */
function inertiaOf(X: DenseRows, rowsIdx: ArrayLike<number>, c: ArrayLike<number>, labels: Int32Array, R: Round): number {
  const d = X.dim;
  const x = X.data;
  const groups = Math.floor(d / 4);
  const rem = d % 4;
  let inertia = 0;
  for (let t = 0; t < rowsIdx.length; t++) {
    let a = rowsIdx[t] * d;
    let bo = labels[t] * d;
    let result = 0;
    for (let g = 0; g < groups; g++) {
      const d0 = R(x[a] - c[bo]);
      const d1 = R(x[a + 1] - c[bo + 1]);
      const d2 = R(x[a + 2] - c[bo + 2]);
      const d3 = R(x[a + 3] - c[bo + 3]);
      const grp = R(R(R(R(d0 * d0) + R(d1 * d1)) + R(d2 * d2)) + R(d3 * d3));
      result = R(result + grp);
      a += 4;
      bo += 4;
    }
    for (let f = 0; f < rem; f++) {
      const df = R(x[a + f] - c[bo + f]);
      result = R(result + R(df * df));
    }
    inertia = R(inertia + result);
  }
  return inertia;
}

/** `_minibatch_update_dense`: count-weighted running means, reciprocal then multiply, in the data dtype. */
function updateCenters(
  X: DenseRows,
  batch: Int32Array,
  labels: Int32Array,
  oldC: Float32Array | Float64Array,
  newC: Float32Array | Float64Array,
  counts: Float32Array | Float64Array,
  k: number,
  R: Round,
): void {
  const d = X.dim;
  const x = X.data;
  const members: number[][] = Array.from({ length: k }, () => []);
  for (let t = 0; t < batch.length; t++) members[labels[t]].push(batch[t]);
  for (let j = 0; j < k; j++) {
    const o = j * d;
    const m = members[j];
    let wsum = 0;
    for (let t = 0; t < m.length; t++) wsum = R(wsum + 1);
    if (wsum > 0) {
      const w = counts[j];
      for (let f = 0; f < d; f++) newC[o + f] = R(oldC[o + f] * w);
      for (const r of m) {
        const ro = r * d;
        for (let f = 0; f < d; f++) newC[o + f] = R(newC[o + f] + x[ro + f]);
      }
      counts[j] = R(counts[j] + wsum);
      const alpha = R(1 / counts[j]);
      for (let f = 0; f < d; f++) newC[o + f] = R(newC[o + f] * alpha);
    } else {
      for (let f = 0; f < d; f++) newC[o + f] = oldC[o + f];
    }
  }
}

/**
 * Greedy k-means++ on the rows `sub` of X. Squared distances follow sklearn's `_euclidean_distances`:
 * (−2 a·x + ‖a‖²) + ‖x‖² in float64, clamped at 0, rounded to the data dtype.
 */
function kmeansPlusPlus(
  X: DenseRows,
  sub: number[],
  k: number,
  rs: RandomState,
  variant: KMeansPlusPlusVariant,
  R: Round,
  threads: number,
  gramValues?: Float64Array,
  /** The caller's workspace (else one is taken from the pool for float32 rows). */
  callerWs?: Dense64Workspace,
): { centers: Float64Array; indices: number[] } {
  const d = X.dim;
  const x = X.data;
  const m = sub.length;
  const f32 = X.data instanceof Float32Array;
  const norms = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    const o = sub[i] * d;
    let s = 0;
    for (let f = 0; f < d; f++) s += x[o + f] * x[o + f];
    norms[i] = s;
  }
  const nLocal = 2 + Math.floor(Math.log(k));
  // Float32 rows with a BLAS: every dot product of the rows from one DSYRK (gramMatrix), each value certified
  // against dot64's rounding (gram-dots.ts). Otherwise the dot products run on dense64 (dot64's own order, so the
  // same bits), all of a step's candidate centres in one pass over the rows.
  const gram = f32 && gramValues ? GramDots.fromGram(x as Float32Array, sub, d, norms, gramValues) : undefined;
  const ownWs = f32 && !gram && !callerWs ? acquireWorkspace(threads) : undefined;
  const ws = f32 && !gram ? (callerWs ?? ownWs) : undefined;
  if (ws) {
    const rows = ws.setRows32(m, d, nLocal);
    for (let i = 0; i < m; i++) rows.set((x as Float32Array).subarray(sub[i] * d, sub[i] * d + d), i * d);
  }
  /** Squared distances of every row to each centre `ids[t]` (row numbers in sub), one array per centre. */
  const distRows = (ids: number[]): (Float32Array | Float64Array)[] => {
    const dots = ws ? ws.dots32(ids) : null;
    return ids.map((ci, t) => {
      const out = alloc(m);
      if (gram) {
        gram.distances(ci, R, out);
        return out;
      }
      const co = sub[ci] * d;
      const cn = norms[ci];
      for (let i = 0; i < m; i++) {
        const dot = dots ? dots[t * m + i] : dot64(x, co, x, sub[i] * d, d);
        const v = R(-2 * dot + cn + norms[i]);
        out[i] = v > 0 ? v : 0;
      }
      return out;
    });
  };
  const alloc = (len: number): Float32Array | Float64Array => (f32 ? new Float32Array(len) : new Float64Array(len));
  const potential = (row: Float32Array | Float64Array): number => {
    if (variant === '1.2') return f32 ? numpySum32(row) : numpySum64(row);
    // ≥1.3: a BLAS dot with unit weights; accumulated in float64 and rounded once.
    let s = 0;
    for (let i = 0; i < row.length; i++) s += row[i];
    return R(s);
  };

  const centers = new Float64Array(k * d);
  const indices: number[] = [];
  let first: number;
  if (variant === '1.2') first = rs.randint(m);
  else {
    const p = new Float64Array(m).fill(R(1 / m));
    first = rs.choiceScalar(m, { p, pDtype: f32 ? 'float32' : 'float64' });
  }
  const put = (c: number, ci: number): void => {
    const o = sub[ci] * d;
    for (let f = 0; f < d; f++) centers[c * d + f] = x[o + f];
    indices.push(ci);
  };
  put(0, first);
  try {
    let closest = distRows([first])[0];
    let pot = potential(closest);
    const cum = new Float64Array(m);
    let best = alloc(m);
    for (let c = 1; c < k; c++) {
      const u = rs.uniform(0, 1, nLocal);
      let acc = 0;
      for (let i = 0; i < m; i++) {
        acc = variant === '1.8' ? R(acc + closest[i]) : acc + closest[i];
        cum[i] = acc;
      }
      // The candidates depend only on u, pot and cum: all are drawn first and their distances computed at once.
      const ids: number[] = [];
      for (let t = 0; t < nLocal; t++) ids.push(Math.min(searchLeft(cum, u[t] * pot), m - 1));
      const cands = distRows(ids);
      let bestPot = Infinity;
      let bestId = -1;
      for (let t = 0; t < nLocal; t++) {
        const cand = cands[t];
        for (let i = 0; i < m; i++) if (closest[i] < cand[i]) cand[i] = closest[i];
        const p = potential(cand);
        if (bestId < 0 || p < bestPot) {
          bestPot = p;
          bestId = ids[t];
          best.set(cand);
        }
      }
      pot = bestPot;
      const swap = closest;
      closest = best;
      best = swap;
      put(c, bestId);
    }
  } finally {
    if (ownWs) releaseWorkspace(ownWs);
  }
  return { centers, indices };
}

/**
 * Whether every value is finite: v - v is 0 for a finite v and NaN for ±Infinity or NaN, so four independent
 * sums of it stay 0 exactly when all are finite (no branch per value). Called on slices of 64 Ki values: V8
 * optimises a function called many times from its first slices, a single long call only by on-stack
 * replacement, 3-4× slower at 50 M values.
 */
function allFinite(x: Float32Array | Float64Array): boolean {
  const slice = 65536;
  for (let s = 0; s < x.length; s += slice) {
    const end = Math.min(x.length, s + slice);
    if (!(x instanceof Float32Array ? allFinite32(x.subarray(s, end)) : allFinite64(x.subarray(s, end)))) return false;
  }
  return true;
}
function allFinite32(x: Float32Array): boolean {
  let a0 = 0;
  let a1 = 0;
  let a2 = 0;
  let a3 = 0;
  const n = x.length;
  let i = 0;
  for (; i + 3 < n; i += 4) {
    const v0 = x[i];
    const v1 = x[i + 1];
    const v2 = x[i + 2];
    const v3 = x[i + 3];
    a0 += v0 - v0;
    a1 += v1 - v1;
    a2 += v2 - v2;
    a3 += v3 - v3;
  }
  for (; i < n; i++) a0 += x[i] - x[i];
  return a0 + a1 + (a2 + a3) === 0;
}
function allFinite64(x: Float64Array): boolean {
  let a0 = 0;
  for (let i = 0; i < x.length; i++) a0 += x[i] - x[i];
  return a0 === 0;
}

/**
 * Whether k-means++ should take its dot products from the subsample's Gram matrix (gram-dots.ts). The DSYRK
 * computes m²/2 dots at about five times dense64's rate per thread, dense64 the (k − 1)·nLocal + 1 candidates'
 * m dots each over `threads`: the Gram matrix pays when there are more candidates than m·threads/10 (k = 100
 * with batch 500, not k = 20).
 */
function useGram(k: number, m: number, d: number, threads: number): boolean {
  const candidates = (k - 1) * (2 + Math.floor(Math.log(k))) + 1;
  return candidates * 10 > m * threads && GramDots.fits(m, d);
}

/**
 * The lower triangle of S·Sᵀ for the subsample S = rows `sub` (widened to float64 in the workspace's memory) by
 * the BLAS's DSYRK: on a worker thread while this thread runs `beside`, when the library runs on the workers;
 * else here, then `beside`. Returns a copy (the workspace's memory is reused by the steps).
 */
function gramMatrix(ws: Dense64Workspace, x: Float32Array, sub: number[], d: number, products: ScoreProducts, beside: () => void): Float64Array {
  const m = sub.length;
  const aBytes = Math.ceil((m * d * 8) / 64) * 64;
  const base = ws.reserve(aBytes + m * m * 8);
  const a = new Float64Array(ws.buffer, base, m * d);
  const g = new Float64Array(ws.buffer, base + aBytes, m * m);
  GramDots.widen(x, sub, d, a);
  const local = () => products.dsyrkLower!(m, d, a, g);
  if (products.threaded) ws.dsyrkBeside(products.threaded, m, d, base, base + aBytes, local, beside);
  else {
    local();
    beside();
  }
  return g.slice();
}

/** numpy searchsorted(side='left'): first index with cum[i] >= v. */
function searchLeft(cum: Float64Array, v: number): number {
  let lo = 0;
  let hi = cum.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cum[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** tol scaling for tol > 0: mean over features of the per-feature variance (np.var, float64). */
function meanVariance(X: DenseRows): number {
  const { rows, dim, data } = X;
  let total = 0;
  for (let f = 0; f < dim; f++) {
    let mean = 0;
    for (let i = 0; i < rows; i++) mean += data[i * dim + f];
    mean /= rows;
    let v = 0;
    for (let i = 0; i < rows; i++) {
      const e = data[i * dim + f] - mean;
      v += e * e;
    }
    total += v / rows;
  }
  return total / dim;
}
