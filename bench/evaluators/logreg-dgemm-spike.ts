// Spike (issue 21): can the multinomial logistic-regression objective run its two products (X·W, Xᵀ·G) on the
// system DGEMM and still have machine-independent bits? Design measured here: a product entry is DEFINED as the
// fixed-order value (dense64's sequential sum) rounded to a grid of spacing 2^(e(‖x‖) + e(‖w‖) − G), e(·) the
// binary exponent of the entry's operand norms (so the spacing is ~2^-G ‖x‖‖w‖). DGEMM gives v; any summation order, blocking or FMA is
// within γ_d Σ|x_j w_j| ≤ γ_d m of the real value, and so is the fixed-order value, so the fixed-order value lies
// in [v − 2γ_d m, v + 2γ_d m]; when both ends round to the same grid point that point is the answer (rounding is
// monotone), otherwise dense64's sum for that one entry is computed ("fallback").
//
// Measures, per shape (seeded data as bench/evaluators/run.ts): time per objective evaluation's products, dense64
// vs DGEMM vs certified DGEMM, interleaved round by round; the fallback fraction per grid G at a fit's final W;
// a check that the certified grid values equal the rounded dense64 values entry for entry; and (--fit) a whole
// fit on the grid objective vs the default fit (iterations, objective, test predictions).
//
// Run: node bin/run-ts.js bench/evaluators/logreg-dgemm-spike.ts [--shapes banking77,massive,banking77-4096]
//      [--rounds 5] [--grids 30,34,38,42] [--fit-grid 34] [--time-grids 30,34] [--no-fit] [--blas-threads 2] [--sabotage] [--reference] [--json out.json]
import { createRequire } from 'node:module';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { fitLogisticRegression, predict, type LogisticRegressionModel } from '../../src/metrics/classification/logistic-regression.js';
import { minimizeLbfgsb } from '../../src/metrics/classification/lbfgsb.js';
import { numpySum64 } from '../../src/metrics/numeric/numpy-sum.js';
import { acquireWorkspace, releaseWorkspace, type Dense64Workspace } from '../../src/metrics/numeric/dense64/workspace.js';
import { loadCblas } from '../../src/search/blas/cblas.js';
import { labelled } from './labelled.js';

const arg = (name: string) => (process.argv.indexOf(name) > 0 ? process.argv[process.argv.indexOf(name) + 1] : undefined);
const rounds = Number(arg('--rounds') ?? 5);
const grids = (arg('--grids') ?? '30,34,38,42').split(',').map(Number);
const fitGrid = Number(arg('--fit-grid') ?? 34);
const timeGrids = (arg('--time-grids') ?? '30,34').split(',').map(Number);
const doFit = !process.argv.includes('--no-fit');
const blasThreads = Number(arg('--blas-threads') ?? 2);
// --sabotage: no bound at all (DGEMM's value trusted), to show that the entry-for-entry check below can fail.
const boundFactor = process.argv.includes('--sabotage') ? 0 : 1;
const SHAPES: Record<string, [number, number, number, number]> = {
  quick: [1000, 300, 256, 20],
  banking77: [10_000, 3_000, 1024, 77],
  massive: [11_514, 2_974, 1024, 60],
  'banking77-4096': [10_000, 3_000, 4096, 77],
};
// --reference: scikit-learn 1.2.1 on the same data (bench/evaluators/reference.py, a fresh process, fit + predict).
const python = process.argv.includes('--reference') ? (arg('--python') ?? '/usr/bin/python3') : null;
function sklearnReference(train: Float32Array, test: Float32Array, p: number, y: number[]): Record<string, unknown> | null {
  if (!python) return null;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'logreg-spike-'));
  try {
    const save = (name: string, m: Float32Array) => {
      const file = path.join(dir, `${name}.f32`);
      writeFileSync(file, Buffer.from(m.buffer, m.byteOffset, m.byteLength));
      return { file, rows: m.length / p, dim: p };
    };
    const meta = path.join(dir, 'case.json');
    writeFileSync(meta, JSON.stringify({ kind: 'classification', train: save('train', train), test: save('test', test), y }));
    return JSON.parse(execFileSync(python, ['bench/evaluators/reference.py', meta], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
const picked = (arg('--shapes') ?? 'banking77,massive,banking77-4096').split(',');


// ---- the system DGEMM (same library the BLAS search engine loads) ----
const blas = loadCblas();
const koffi: any = createRequire(import.meta.url)('koffi');
const lib = koffi.load(blas.library);
const dgemmFn = lib.func(
  'void cblas_dgemm(int order, int transA, int transB, int M, int N, int K, double alpha, const double *A, int lda, const double *B, int ldb, double beta, double *C, int ldc)',
);
try {
  lib.func('void openblas_set_num_threads(int n)')(blasThreads);
} catch {
  /* not OpenBLAS: its own threads */
}
/** C (n × K) = X (n × p) · W (p × K), all row-major. */
const dgemmForward = (X: Float64Array, n: number, p: number, W: Float64Array, K: number, C: Float64Array) =>
  dgemmFn(101, 111, 111, n, K, p, 1, X, p, W, K, 0, C, K);
/** C (p × K) = Xᵀ · G (G n × K). */
const dgemmGradient = (X: Float64Array, n: number, p: number, G: Float64Array, K: number, C: Float64Array) =>
  dgemmFn(101, 112, 111, p, K, n, 1, X, p, G, K, 0, C, K);

// ---- grid rounding with a certificate ----
const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
/** floor(log2 x) from the exponent bits (x normal, > 0): exact, the same on every machine. */
function expo(x: number): number {
  f64[0] = x;
  return ((u32[1] >>> 20) & 0x7ff) - 1023;
}
/** Norms in this range: no product or sum of an entry can underflow to where the bound fails, or overflow. */
const inRange = (x: number) => x > 2 ** -400 && x < 2 ** 400;
/**
 * THE DEFINITION: the entry whose fixed-order value is f and whose operands have norms a, b is
 * round(f / s) · s with s = 2^(expo(a) + expo(b) − G) (a power of two: the scalings are exact; Math.round is
 * monotone, ties up); +0 for −0. Out of range norms (or NaN): f itself.
 */
function gridValue(f: number, a: number, b: number, G: number): number {
  if (a === 0 || b === 0) return 0;
  if (!inRange(a) || !inRange(b)) return f;
  const inv = 2 ** (G - expo(a) - expo(b));
  return Math.round(f * inv) / inv + 0;
}

interface Certified {
  fallbacks: number;
  entries: number;
}
/**
 * out[r*K + k] = gridValue(fixed-order dot of row-vector r (of A) with column k (of B)), given DGEMM's v in out.
 * na[r], nb[k]: the operands' norms (float64, sequential), d: the dot's length. fixedMany(rs, ks, count, acc): the
 * fixed-order values of the entries (rs[c], ks[c]), c < count, into acc (listed in row order).
 */
function certify(
  out: Float64Array,
  R: number,
  K: number,
  na: Float64Array,
  nb: Float64Array,
  d: number,
  G: number,
  fixedMany: (rs: Int32Array, ks: Int32Array, count: number, acc: Float64Array) => void,
  stats: Certified,
): void {
  const du = d * 2 ** -53;
  // |v − f| ≤ 2γ_d Σ|a_j b_j| ≤ 2γ_d ‖a‖‖b‖ (any order, blocking, FMA); 1 % more for the norms' own error; the
  // interval ends q ± eps are computed (rounded), so a few ulps of q more.
  const slope = boundFactor * 1.01 * 2 * (du / (1 - du));
  const margin = boundFactor * 2 ** (G - 48); // 4 ulps of |q| < 2^(G+2), in grid units
  let rs = new Int32Array(1024);
  let ks = new Int32Array(1024);
  let count = 0;
  const invB = new Float64Array(K);
  const okB = new Uint8Array(K);
  for (let k = 0; k < K; k++) {
    okB[k] = inRange(nb[k]) ? 1 : 0;
    invB[k] = okB[k] ? 2 ** -expo(nb[k]) : 0;
  }
  stats.entries += R * K;
  for (let r = 0; r < R; r++) {
    const a = na[r];
    const okA = inRange(a);
    const invA = okA ? 2 ** (G - expo(a)) : 0;
    const ea = slope * a;
    for (let k = 0; k < K; k++) {
      const o = r * K + k;
      if (okA && okB[k]) {
        const inv = invA * invB[k];
        const q = out[o] * inv;
        const eps = ea * nb[k] * inv + margin;
        const lo = Math.round(q - eps);
        if (lo === Math.round(q + eps)) {
          out[o] = lo / inv + 0; // a NaN v fails the comparison: recomputed
          continue;
        }
      } else if (a === 0 || nb[k] === 0) {
        out[o] = 0;
        continue;
      }
      if (count === rs.length) {
        const r2 = new Int32Array(2 * count);
        r2.set(rs);
        rs = r2;
        const k2 = new Int32Array(2 * count);
        k2.set(ks);
        ks = k2;
      }
      rs[count] = r;
      ks[count++] = k;
    }
  }
  if (count === 0) return;
  stats.fallbacks += count;
  const acc = new Float64Array(count);
  fixedMany(rs, ks, count, acc);
  for (let c = 0; c < count; c++) out[rs[c] * K + ks[c]] = gridValue(acc[c], na[rs[c]], nb[ks[c]], G);
}

function rowNorms(X: Float64Array, n: number, p: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < p; j++) s += X[i * p + j] * X[i * p + j];
    out[i] = Math.sqrt(s);
  }
  return out;
}
/** Norms of the K columns of an R × K row-major matrix. */
function colNorms(A: Float64Array, R: number, K: number): Float64Array {
  const out = new Float64Array(K);
  for (let r = 0; r < R; r++) for (let k = 0; k < K; k++) out[k] += A[r * K + k] * A[r * K + k];
  for (let k = 0; k < K; k++) out[k] = Math.sqrt(out[k]);
  return out;
}

type Products = { forward(w: Float64Array): Float64Array; gradient(gp: Float64Array): Float64Array };

/** dense64 (the default), DGEMM alone (not machine-independent), or DGEMM + certified grid G. */
function products(kind: 'dense64' | 'dgemm' | 'grid', ws: Dense64Workspace, X: Float64Array, n: number, p: number, K: number, G = 34, stats?: Certified): Products {
  if (kind === 'dense64') return { forward: (w) => ws.forward(w), gradient: (gp) => ws.gradient(gp) };
  const xRow = rowNorms(X, n, p);
  const xCol = colNorms(X, n, p);
  const XT = new Float64Array(kind === 'grid' ? n * p : 0);
  for (let i = 0; i < XT.length / p; i++) for (let j = 0; j < p; j++) XT[j * n + i] = X[i * p + j];
  return {
    forward(w) {
      const out = new Float64Array(n * K);
      dgemmForward(X, n, p, w, K, out);
      if (kind === 'grid') {
        certify(out, n, K, xRow, colNorms(w, p, K), p, G, (rs, ks, count, acc) => {
          // one pass over row i for all of its entries (the list is in row order)
          for (let c0 = 0; c0 < count; ) {
            const i = rs[c0];
            let c1 = c0;
            while (c1 < count && rs[c1] === i) c1++;
            for (let j = 0; j < p; j++) {
              const x = X[i * p + j];
              const wo = j * K;
              for (let c = c0; c < c1; c++) acc[c] += x * w[wo + ks[c]];
            }
            c0 = c1;
          }
        }, stats!);
      }
      return out;
    },
    gradient(gp) {
      const out = new Float64Array(p * K);
      dgemmGradient(X, n, p, gp, K, out);
      if (kind === 'grid') {
        certify(out, p, K, xCol, colNorms(gp, n, K), n, G, (js, ks, count, acc) => {
          // columns of X (XT, once per fit) and of G (GT, here) contiguous: each entry is two streams, summed
          // in increasing i (rows of X 8 KB apart would touch all of X for a few hundred entries)
          const GT = new Float64Array(K * n);
          for (let i = 0; i < n; i++) for (let k = 0; k < K; k++) GT[k * n + i] = gp[i * K + k];
          for (let c = 0; c < count; c++) {
            const xo = js[c] * n;
            const go = ks[c] * n;
            let sum = 0;
            for (let i = 0; i < n; i++) sum += XT[xo + i] * GT[go + i];
            acc[c] = sum;
          }
        }, stats!);
      }
      return out;
    },
  };
}

/** logistic-regression.ts's multinomialObjective (sklearn 1.2 scaling) with the products swapped in. */
function objective(prod: Products, n: number, p: number, K: number, y: Int32Array, l2: number) {
  const gp = new Float64Array(n * K);
  const lossArr = new Float64Array(n);
  const probs = new Float64Array(K);
  const bsum = new Float64Array(K);
  return (w: Float64Array, grad: Float64Array): number => {
    const bOff = p * K;
    const raw = prod.forward(w);
    for (let i = 0; i < n; i++) {
      const r = i * K;
      for (let k = 0; k < K; k++) raw[r + k] += w[bOff + k];
      let mx = raw[r];
      for (let k = 1; k < K; k++) if (raw[r + k] > mx) mx = raw[r + k];
      let sum = 0;
      for (let k = 0; k < K; k++) {
        probs[k] = Math.exp(raw[r + k] - mx);
        sum += probs[k];
      }
      lossArr[i] = Math.log(sum) + mx - raw[r + y[i]];
      for (let k = 0; k < K; k++) gp[r + k] = probs[k] / sum - (k === y[i] ? 1 : 0);
    }
    let loss = numpySum64(lossArr);
    let ww = 0;
    for (let q = 0; q < bOff; q++) ww += w[q] * w[q];
    loss += 0.5 * l2 * ww;
    bsum.fill(0);
    for (let i = 0; i < n; i++) for (let k = 0; k < K; k++) bsum[k] += gp[i * K + k];
    const g = prod.gradient(gp);
    for (let k = 0; k < K; k++) grad[bOff + k] = bsum[k];
    for (let q = 0; q < bOff; q++) grad[q] = g[q] + l2 * w[q];
    return loss;
  };
}

function timed<T>(f: () => T): [T, number, number] {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const r = f();
  const wall = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  return [r, wall, (c.user + c.system) / 1e6];
}
const median = (a: number[]) => [...a].sort((x, y) => x - y)[a.length >> 1];

const results: Record<string, unknown>[] = [];
for (const name of picked) {
  const [n, nt, p, K] = SHAPES[name];
  process.stderr.write(`${name}: ${n}+${nt} x ${p}, ${K} labels\n`);
  const { data, y } = labelled(n + nt, p, K, 1);
  const train = { rows: n, dim: p, data: data.subarray(0, n * p) };
  const test = { rows: nt, dim: p, data: data.subarray(n * p) };
  const yTrain = Int32Array.from(y.slice(0, n)); // labels 0..K-1 are already sorted class indices
  const X = Float64Array.from(train.data);
  const ws = acquireWorkspace();
  const setX = () => ws.setProblem(n, p, K).set(X);
  fitLogisticRegression({ rows: 500, dim: p, data: train.data.subarray(0, 500 * p) }, y.slice(0, 500), { sklearn: '1.2', maxIter: 3 });

  // 1. The default fit (fixed-order dense64 products): reference W, iterations, predictions.
  const [[model, pred], defWall, defCpu] = timed(() => {
    const m = fitLogisticRegression(train, y.slice(0, n), { sklearn: '1.2' });
    return [m, predict(m, test)] as const;
  });
  const w = new Float64Array(K * (p + 1));
  for (let k = 0; k < K; k++) for (let j = 0; j < p; j++) w[j * K + k] = model.coef[k][j];
  for (let k = 0; k < K; k++) w[p * K + k] = model.intercept[k];
  // G at the final W, as the objective computes it
  setX();
  let gpFinal = new Float64Array(0);
  {
    const capture: Products = {
      forward: (ww) => ws.forward(ww),
      gradient: (gp) => {
        gpFinal = gp.slice();
        return ws.gradient(gp);
      },
    };
    objective(capture, n, p, K, yTrain, 1)(w, new Float64Array(w.length));
  }

  // 2. Fallback fraction per grid at the final W, and the certified values against rounded dense64 values.
  const fixedF = ws.forward(w);
  const fixedG = ws.gradient(gpFinal);
  const xRow = rowNorms(X, n, p);
  const xCol = colNorms(X, n, p);
  const perGrid: Record<string, unknown>[] = [];
  for (const G of grids) {
    const fStats = { fallbacks: 0, entries: 0 };
    const gStats = { fallbacks: 0, entries: 0 };
    const prod = products('grid', ws, X, n, p, K, G, fStats);
    const pf = prod.forward(w);
    const prodG = products('grid', ws, X, n, p, K, G, gStats);
    const pg = prodG.gradient(gpFinal);
    let mismatch = 0;
    const wn = colNorms(w, p, K);
    for (let i = 0; i < n; i++) for (let k = 0; k < K; k++) if (!Object.is(pf[i * K + k], gridValue(fixedF[i * K + k], xRow[i], wn[k], G))) mismatch++;
    const gn = colNorms(gpFinal, n, K);
    for (let j = 0; j < p; j++) for (let k = 0; k < K; k++) if (!Object.is(pg[j * K + k], gridValue(fixedG[j * K + k], xCol[j], gn[k], G))) mismatch++;
    perGrid.push({ G, forward_fallback_fraction: fStats.fallbacks / fStats.entries, gradient_fallback_fraction: gStats.fallbacks / gStats.entries, mismatches_vs_rounded_dense64: mismatch });
    process.stderr.write(`  grid 2^-${G}: fallbacks forward ${(fStats.fallbacks / fStats.entries * 100).toFixed(3)} %, gradient ${(gStats.fallbacks / gStats.entries * 100).toFixed(3)} %, mismatches ${mismatch}\n`);
  }

  // 3. Time per objective evaluation's products (forward and gradient apart), interleaved round by round, the
  //    order rotating; round 1 dropped. grid-G: DGEMM + certificate + fallbacks on grid G.
  const kinds = ['dense64', 'dgemm', ...timeGrids.map((G) => `grid-${G}`)];
  const prods: Record<string, Products> = { dense64: products('dense64', ws, X, n, p, K), dgemm: products('dgemm', ws, X, n, p, K) };
  for (const G of timeGrids) prods[`grid-${G}`] = products('grid', ws, X, n, p, K, G, { fallbacks: 0, entries: 0 });
  const times: Record<string, Record<'forward' | 'gradient', { wall: number[]; cpu: number[] }>> = {};
  for (const k of kinds) times[k] = { forward: { wall: [], cpu: [] }, gradient: { wall: [], cpu: [] } };
  for (let r = 0; r < rounds; r++) {
    for (let q = 0; q < kinds.length; q++) {
      const kind = kinds[(q + r) % kinds.length];
      const [, fw, fc] = timed(() => prods[kind].forward(w));
      const [, gw, gc] = timed(() => prods[kind].gradient(gpFinal));
      if (r === 0) continue;
      times[kind].forward.wall.push(fw);
      times[kind].forward.cpu.push(fc);
      times[kind].gradient.wall.push(gw);
      times[kind].gradient.cpu.push(gc);
    }
  }
  const perEval = Object.fromEntries(
    kinds.map((k) => [
      k,
      Object.fromEntries((['forward', 'gradient'] as const).map((part) => [part, { wall_median_s: median(times[k][part].wall), cpu_median_s: median(times[k][part].cpu), wall_s: times[k][part].wall, cpu_s: times[k][part].cpu }])),
    ]),
  );
  process.stderr.write(
    `  per evaluation, medians forward + gradient wall (CPU) s: ${kinds
      .map((k) => `${k} ${median(times[k].forward.wall).toFixed(3)} + ${median(times[k].gradient.wall).toFixed(3)} (${median(times[k].forward.cpu).toFixed(3)} + ${median(times[k].gradient.cpu).toFixed(3)})`)
      .join(', ')}\n`,
  );

  // 4. A whole fit on the grid objective (sklearn 1.2 options), predictions through the default predict.
  let gridFit: Record<string, unknown> | null = null;
  if (doFit) {
    const fitStats = { fallbacks: 0, entries: 0 };
    const gridProd = products('grid', ws, X, n, p, K, fitGrid, fitStats);
    const [[res, gPred], gWall, gCpu] = timed(() => {
      const res = minimizeLbfgsb(objective(gridProd, n, p, K, yTrain, 1), new Float64Array(K * (p + 1)), { maxiter: 100, gtol: 1e-4, maxls: 20, ftol: 2.2204460492503131e-9 });
      const m: LogisticRegressionModel = {
        classes: model.classes,
        coef: Array.from({ length: K }, (_, k) => Float64Array.from({ length: p }, (_, j) => res.x[j * K + k])),
        intercept: Float64Array.from({ length: K }, (_, k) => res.x[p * K + k]),
        nIter: Math.min(res.nit, 100),
        converged: res.status === 0,
        objective: res.f,
        message: res.message,
      };
      return [res, predict(m, test)] as const;
    });
    let diff = 0;
    for (let i = 0; i < nt; i++) if (gPred[i] !== pred[i]) diff++;
    gridFit = { G: fitGrid, wall_s: gWall, cpu_s: gCpu, n_iter: res.nit, objective: res.f, predictions_differing_from_default: diff, fallback_fraction: fitStats.fallbacks / fitStats.entries };
    process.stderr.write(`  grid fit: ${gWall.toFixed(2)} s wall / ${gCpu.toFixed(2)} s CPU, ${res.nit} iterations, f ${res.f}, ${diff} predictions differ, fallbacks ${(fitStats.fallbacks / fitStats.entries * 100).toFixed(3)} %\n`);
  }
  releaseWorkspace(ws);
  const ref = sklearnReference(train.data, test.data, p, y.slice(0, n));
  const refPred = ref?.all_predictions as number[] | undefined;
  const sklearn = ref
    ? { wall_s: ref.seconds, cpu_s: ref.cpu_seconds, n_iter: ref.n_iter, predictions_equal_default: refPred!.every((v, i) => v === pred[i]) }
    : null;
  if (sklearn) process.stderr.write(`  scikit-learn: ${Number(ref!.seconds).toFixed(2)} s wall / ${Number(ref!.cpu_seconds).toFixed(2)} s CPU, ${ref!.n_iter} iterations, predictions equal ours: ${sklearn.predictions_equal_default}\n`);
  const row = {
    shape: `${name}: ${n} train + ${nt} test x ${p}, ${K} labels`,
    blas: blas.description,
    blas_threads: blasThreads,
    load_avg_1m: os.loadavg()[0],
    default_fit: { wall_s: defWall, cpu_s: defCpu, n_iter: model.nIter, objective: model.objective },
    per_grid_at_final_w: perGrid,
    per_evaluation_products: perEval,
    grid_fit: gridFit,
    sklearn,
  };
  process.stderr.write(`  default fit: ${defWall.toFixed(2)} s wall / ${defCpu.toFixed(2)} s CPU, ${model.nIter} iterations, f ${model.objective}; load ${os.loadavg()[0].toFixed(1)}\n`);
  results.push(row);
}
const out = { date: new Date().toISOString(), node: process.version, cpus: os.cpus().length, rounds, results };
const file = arg('--json');
if (file) writeFileSync(file, JSON.stringify(out, null, 1) + '\n');
else process.stdout.write(JSON.stringify(out, null, 1) + '\n');
