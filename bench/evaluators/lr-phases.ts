// Issue 21: where a multinomial logistic-regression fit's time goes OUTSIDE the two products' arithmetic.
// Banking77-shaped seeded data (as bench/evaluators/run.ts). Per round, for each source tree (this one, and with
// --compare DIR an older copy of src/ extracted under DIR, e.g. `git archive <commit> src | tar -x -C DIR`), in
// rotating order:
//   * "whole": fitLogisticRegression + predict as run.ts times them (wall, process CPU = main + worker threads);
//   * "phases" (this tree only, or every tree with --phases-all): the same fit rebuilt from the exported pieces
//     with timers around each part: setup (X into the workspace), forward / gradient wrappers and, inside them,
//     the kernels' dispatch (`runOn`: the arithmetic on both threads), the objective's own JavaScript
//     (softmax, loss, sums), the L-BFGS-B port, predict. Process CPU per phase via process.cpuUsage (workers
//     sleep in Atomics.wait outside the kernels, so outside them it is the main thread's), and the main
//     thread's own CPU for the whole fit from /proc/self/task/<pid>/stat.
// Each fit's objective, iteration count and predictions hash are recorded: they must be equal across trees.
//
// Run: node bin/run-ts.js bench/evaluators/lr-phases.ts [--shape banking77|massive|banking77-4096|quick]
//      [--rounds 3] [--compare .scratch/before] [--json out.json]
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { labelled } from './labelled.js';

const arg = (name: string) => (process.argv.indexOf(name) > 0 ? process.argv[process.argv.indexOf(name) + 1] : undefined);
const rounds = Number(arg('--rounds') ?? 3);
const SHAPES: Record<string, [number, number, number, number]> = {
  quick: [1000, 300, 256, 20],
  banking77: [10_000, 3_000, 1024, 77],
  massive: [11_514, 2_974, 1024, 60],
  'banking77-4096': [10_000, 3_000, 4096, 77],
};
const shapeName = arg('--shape') ?? 'banking77';
const [n, nt, dim, classes] = SHAPES[shapeName];

const { data, y } = labelled(n + nt, dim, classes, 1);
const train = { rows: n, dim, data: data.subarray(0, n * dim) };
const test = { rows: nt, dim, data: data.subarray(n * dim) };
const yTrain = y.slice(0, n);

type Clock = { wall: number; cpu: number };
const cpuNow = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
/** The main thread's own CPU seconds (Linux; null elsewhere). */
function mainThreadCpu(): number | null {
  try {
    const f = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    const fields = f.slice(f.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
  } catch {
    return null;
  }
}

interface Tree {
  name: string;
  lr: any;
  lbfgsb: any;
  ws: any;
}
async function load(name: string, root: string): Promise<Tree> {
  const imp = (p: string) => import(pathToFileURL(path.resolve(root, p)).href);
  return {
    name,
    lr: await imp('src/metrics/classification/logistic-regression.ts'),
    lbfgsb: await imp('src/metrics/classification/lbfgsb.ts'),
    ws: await imp('src/metrics/numeric/dense64/workspace.ts'),
  };
}
const trees: Tree[] = [await load('this', '.')];
if (arg('--compare')) trees.push(await load('before', arg('--compare')!));
const phasesAll = process.argv.includes('--phases-all');

const hash = (pred: unknown[]) => createHash('sha256').update(JSON.stringify(pred)).digest('hex');

function whole(t: Tree) {
  const w0 = performance.now();
  const c0 = cpuNow();
  const m0 = mainThreadCpu();
  const model = t.lr.fitLogisticRegression(train, yTrain, { sklearn: '1.2' });
  const fitWall = (performance.now() - w0) / 1000;
  const fitCpu = cpuNow() - c0;
  const pred = t.lr.predict(model, test);
  const wall = (performance.now() - w0) / 1000;
  const cpu = cpuNow() - c0;
  const m1 = mainThreadCpu();
  return { fit_wall: fitWall, fit_cpu: fitCpu, wall, cpu, main_thread_cpu: m0 !== null && m1 !== null ? m1 - m0 : null, objective: model.objective, n_iter: model.nIter, predictions_sha256: hash(pred) };
}

/** The multinomial fit of logistic-regression.ts `fit` (sklearn 1.2 options), every part timed. */
function phases(t: Tree) {
  const acc: Record<string, Clock & { calls: number }> = {};
  const add = (k: string, wall: number, cpu: number) => {
    acc[k] ??= { wall: 0, cpu: 0, calls: 0 };
    acc[k].wall += wall;
    acc[k].cpu += cpu;
    acc[k].calls++;
  };
  const timed = <A extends unknown[], R>(k: string, f: (...a: A) => R) =>
    function (this: unknown, ...a: A): R {
      const w = performance.now();
      const c = cpuNow();
      try {
        return f.apply(this, a);
      } finally {
        add(k, (performance.now() - w) / 1000, cpuNow() - c);
      }
    };
  // The product entry points (whichever the tree has: forward / gradient, or forwardInPlace / gradientInput /
  // gradientOfInput), timed as one 'products' phase at their outermost call, and the kernels' dispatch inside.
  const proto = t.ws.Dense64Workspace.prototype;
  const names = ['forward', 'gradient', 'forwardInPlace', 'gradientInput', 'gradientOfInput', 'runOn'].filter((k) => typeof proto[k] === 'function');
  const orig: Record<string, any> = Object.fromEntries(names.map((k) => [k, proto[k]]));
  let depth = 0;
  for (const k of names) {
    const inner = k === 'runOn' ? timed('kernels', orig[k]) : orig[k];
    const outer = timed('products', inner);
    proto[k] = function (this: unknown, ...a: unknown[]) {
      depth++;
      try {
        return (depth === 1 ? outer : inner).apply(this, a);
      } finally {
        depth--;
      }
    };
  }
  try {
    const w0 = performance.now();
    const c0 = cpuNow();
    const m0 = mainThreadCpu();
    const K = classes;
    const ws = t.ws.acquireWorkspace();
    let res: any;
    try {
      timed('setup', () => {
        const X = ws.setProblem(n, dim, K);
        for (let i = 0; i < n * dim; i++) X[i] = train.data[i];
      })();
      const yi = Int32Array.from(yTrain);
      const obj = timed('objective', t.lr.multinomialObjective(ws, n, dim, K, yi, 1, false));
      res = timed('minimize', () => t.lbfgsb.minimizeLbfgsb(obj, new Float64Array(K * (dim + 1)), { maxiter: 100, gtol: 1e-4, maxls: 20, ftol: 2.2204460492503131e-9 }))();
    } finally {
      t.ws.releaseWorkspace(ws);
    }
    const coef: Float64Array[] = [];
    for (let k = 0; k < K; k++) {
      const c = new Float64Array(dim);
      for (let j = 0; j < dim; j++) c[j] = res.x[j * K + k];
      coef.push(c);
    }
    const intercept = new Float64Array(K);
    for (let k = 0; k < K; k++) intercept[k] = res.x[dim * K + k];
    const model = { classes: Array.from({ length: K }, (_, k) => k), coef, intercept, nIter: res.nit };
    const fitKernels = { ...acc.kernels };
    const fitProducts = { ...acc.products };
    const pred = timed('predict', () => t.lr.predict(model, test))();
    const wall = (performance.now() - w0) / 1000;
    const cpu = cpuNow() - c0;
    const m1 = mainThreadCpu();
    const r = (c: Clock) => ({ wall: +c.wall.toFixed(4), cpu: +c.cpu.toFixed(4) });
    const fwdKernels = fitKernels; // the fit's forward + gradient dispatches (predict's are inside 'predict')
    const derived = {
      setup: r(acc.setup),
      fit_products_kernels: r(fwdKernels),
      fit_products_packing_copies: r({ wall: fitProducts.wall - fwdKernels.wall, cpu: fitProducts.cpu - fwdKernels.cpu }),
      objective_js: r({ wall: acc.objective.wall - fitProducts.wall, cpu: acc.objective.cpu - fitProducts.cpu }),
      lbfgsb: r({ wall: acc.minimize.wall - acc.objective.wall, cpu: acc.minimize.cpu - acc.objective.cpu }),
      predict: r(acc.predict),
      unaccounted: r({ wall: wall - acc.setup.wall - acc.minimize.wall - acc.predict.wall, cpu: cpu - acc.setup.cpu - acc.minimize.cpu - acc.predict.cpu }),
    };
    return { wall, cpu, main_thread_cpu: m0 !== null && m1 !== null ? m1 - m0 : null, evaluations: acc.objective.calls, n_iter: res.nit, objective: res.f, predictions_sha256: hash(pred), raw: acc, phases: derived };
  } finally {
    Object.assign(proto, orig);
  }
}

// Warm-up (module compile, worker threads), as run.ts.
for (const t of trees) t.lr.fitLogisticRegression({ rows: 500, dim, data: train.data.subarray(0, 500 * dim) }, yTrain.slice(0, 500), { sklearn: '1.2', maxIter: 3 });
const results: Record<string, unknown>[] = [];
for (let round = 0; round < rounds; round++) {
  const order = round % 2 === 0 ? trees : [...trees].reverse();
  for (const t of order) {
    const w = whole(t);
    results.push({ round, tree: t.name, kind: 'whole', load_avg_1m: os.loadavg()[0], ...w });
    process.stderr.write(`round ${round} ${t.name} whole: ${w.wall.toFixed(2)} s wall, ${w.cpu.toFixed(2)} s CPU (main ${w.main_thread_cpu?.toFixed(2)}), it ${w.n_iter}, f ${w.objective}, ${w.predictions_sha256.slice(0, 12)}\n`);
  }
  for (const t of order) {
    if (t.name !== 'this' && !phasesAll) continue;
    const p = phases(t);
    results.push({ round, tree: t.name, kind: 'phases', load_avg_1m: os.loadavg()[0], ...p });
    process.stderr.write(`round ${round} ${t.name} phases: ${p.wall.toFixed(2)} s wall, ${p.cpu.toFixed(2)} s CPU, ${p.evaluations} evaluations, f ${p.objective}\n${JSON.stringify(p.phases)}\n`);
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const summary: Record<string, unknown> = {};
for (const t of trees) {
  const ws = results.filter((r: any) => r.tree === t.name && r.kind === 'whole') as any[];
  summary[t.name] = { wall_median: median(ws.map((r) => r.wall)), cpu_median: median(ws.map((r) => r.cpu)), main_thread_cpu_median: median(ws.map((r) => r.main_thread_cpu ?? NaN)) };
}
const report = { command: process.argv.slice(1).join(' '), date: new Date().toISOString(), machine: `${os.cpus()[0]?.model} x ${os.cpus().length}`, node: process.version, shape: `${shapeName}: ${n} train + ${nt} test x ${dim}, ${classes} labels`, summary, results };
process.stderr.write(JSON.stringify(summary) + '\n');
if (arg('--json')) writeFileSync(arg('--json')!, JSON.stringify(report, null, 1) + '\n');
