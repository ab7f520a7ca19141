// Evaluator cores at real MTEB sizes against the Python reference (scikit-learn / numpy, what mteb runs) on the
// same machine, in the same run: logistic regression (one classification experiment), MiniBatchKMeans (one
// clustering set, and one level of mteb 2.x's fast protocol: 10 bootstrap rounds), bitext top-1 (cosine over all pairs). Seeded synthetic data; each side timed on the same
// inputs. The Python side is optional (`--no-python`, or when /usr/bin/python3 lacks sklearn).
// Run: node bin/run-ts.js bench/evaluators/run.ts [--quick] [--only classification,clustering,bitext]
//      [--python /usr/bin/python3] [--rounds 5 (bitext)] [--bitext-refs mteb,numpy] [--threads N]
//      [--classification-shapes banking77,massive,banking77-4096] [--sklearn 1.2|1.4]
//      (JSON on stdout; progress on stderr)
// --threads N: classification, clustering and bitext on N threads on both sides (OPENBLAS_NUM_THREADS and
// OMP_NUM_THREADS for Python, torch's threads for the mteb bitext reference); CPU seconds are reported next to
// wall seconds, steadier than wall time on a loaded machine.
// --bitext-refs: bitext's references — mteb 1.12's own protocol on torch, and/or the stricter one-GEMM numpy.
// --sklearn: the logistic-regression objective ours solves (default: that of the scikit-learn the reference runs,
// so that both sides solve the same problem).
// --products blas,wasm (default both): clustering's approximate scores through the system BLAS's SGEMM and/or
// dense64's own SIMD products (one row each); fit_sha256 hashes labels, centres, counts, inertia and steps, so
// equal hashes across the two, OPENBLAS_CORETYPE settings and thread counts show the fit does not change.
// --no-python skips the reference.
import { execFileSync, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fitLogisticRegression, predict } from '../../src/metrics/classification/logistic-regression.js';
import { fitMiniBatchKMeans, type MiniBatchKMeansResult } from '../../src/metrics/clustering/minibatch-kmeans.js';
import { resolveScoreProducts } from '../../src/metrics/clustering/blas-products.js';
import { nearestNeighbours } from '../../src/metrics/bitext/evaluate.js';
import { dense64Native, kernelsName } from '../../src/metrics/numeric/dense64/native-kernels.js';
import { mulberry32 } from '../../src/util/mulberry32.js';
import { labelled as labelledRows } from './labelled.js';

const arg = (name: string) => (process.argv.indexOf(name) > 0 ? process.argv[process.argv.indexOf(name) + 1] : undefined);
const quick = process.argv.includes('--quick');
const only = arg('--only')?.split(',');
const python = process.argv.includes('--no-python') ? null : (arg('--python') ?? '/usr/bin/python3');
const dir = mkdtempSync(path.join(os.tmpdir(), 'mteb-bench-eval-'));

interface Mat {
  rows: number;
  dim: number;
  data: Float32Array;
}
/** bench/evaluators/labelled.ts as a Matrix. */
function labelled(n: number, dim: number, classes: number, seed: number): { X: Mat; y: number[] } {
  const { data, y } = labelledRows(n, dim, classes, seed);
  return { X: { rows: n, dim, data }, y };
}
function save(name: string, m: Mat): { file: string; rows: number; dim: number } {
  const file = path.join(dir, `${name}.f32`);
  writeFileSync(file, Buffer.from(m.data.buffer, m.data.byteOffset, m.data.byteLength));
  return { file, rows: m.rows, dim: m.dim };
}
function reference(meta: Record<string, unknown>, env?: Record<string, string>): Record<string, unknown> | null {
  if (!python) return null;
  const file = path.join(dir, `${meta.kind}.json`);
  writeFileSync(file, JSON.stringify(meta));
  try {
    return JSON.parse(execFileSync(python, ['bench/evaluators/reference.py', file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], env: env ? { ...process.env, ...env } : process.env }));
  } catch {
    return null;
  }
}
/**
 * The Python side kept running (reference.py's serve mode): `round()` runs one timed round there and returns
 * its answer. Null when there is no Python (or it cannot start).
 */
async function referenceServer(meta: Record<string, unknown>, env?: Record<string, string>): Promise<{ ready: Record<string, unknown>; round(): Promise<Record<string, unknown>>; close(): void } | null> {
  if (!python) return null;
  const file = path.join(dir, `${meta.kind}.json`);
  writeFileSync(file, JSON.stringify(meta));
  const child = spawn(python, ['bench/evaluators/reference.py', file], { stdio: ['pipe', 'pipe', 'inherit'], env: env ? { ...process.env, ...env } : process.env });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async () => {
    const r = await lines.next();
    if (r.done) throw new Error('the Python reference exited');
    return JSON.parse(r.value) as Record<string, unknown>;
  };
  let ready: Record<string, unknown>;
  try {
    ready = await next();
  } catch {
    child.kill();
    return null;
  }
  return {
    ready,
    round: () => {
      child.stdin.write('round\n');
      return next();
    },
    close: () => child.stdin.end(),
  };
}
/** Every output of a fit, hashed (labels, centres, counts, inertia, steps). */
function fitHash(r: MiniBatchKMeansResult): string {
  const h = createHash('sha256');
  for (const a of [r.labels, r.centers, r.counts]) h.update(Buffer.from(a.buffer, a.byteOffset, a.byteLength));
  h.update(`${r.inertia.toString(16)}|${Object.is(r.inertia, -0)}|${r.nSteps}|${r.nIter}`);
  return h.digest('hex');
}
const time = <T>(fn: () => T): [T, number] => {
  const t = process.hrtime.bigint();
  const r = fn();
  return [r, Number(process.hrtime.bigint() - t) / 1e9];
};

const out: Record<string, unknown>[] = [];
try {
  if (!only || only.includes('classification')) {
    // Banking77-shaped (77 labels, 10,000 train + 3,000 test × 1,024), MassiveIntent-shaped (60 labels, 11,514 +
    // 2,974 × 1,024) and Banking77 at 4,096 dims (NV-Embed-sized); quick: 20 labels, 256 dims. Each fit + predict
    // timed on both sides (wall and CPU seconds; the Python side in a fresh process, its fit alone timed);
    // predictions_sha256 hashes all our test predictions, python_predictions_equal says whether scikit-learn's
    // predictions are the same, row for row. --classification-shapes banking77,massive,banking77-4096 picks.
    const all: Record<string, [number, number, number, number]> = quick
      ? { quick: [1000, 300, 256, 20] }
      : { banking77: [10_000, 3_000, 1024, 77], massive: [11_514, 2_974, 1024, 60], 'banking77-4096': [10_000, 3_000, 4096, 77] };
    const picked = quick ? ['quick'] : (arg('--classification-shapes') ?? 'banking77,massive,banking77-4096').split(',');
    const threads = arg('--threads') ? Number(arg('--threads')) : undefined;
    // Ours reproduces the objective of the scikit-learn the reference runs (1.2.1 on Debian: the summed loss,
    // which takes ~10x the L-BFGS iterations of 1.4's mean loss), so both sides solve the same problem with the
    // same iteration count; --sklearn 1.2|1.4 overrides.
    let sklearnVersion: string | null = null;
    if (python) {
      try {
        sklearnVersion = execFileSync(python, ['-c', 'import sklearn; print(sklearn.__version__)'], { encoding: 'utf8' }).trim();
      } catch {
        sklearnVersion = null;
      }
    }
    const flavour = (arg('--sklearn') ?? (sklearnVersion && /^1\.[0-3]\./.test(sklearnVersion) ? '1.2' : '1.4')) as '1.2' | '1.4';
    for (const name of picked) {
      const [n, nt, dim, classes] = all[name];
      process.stderr.write(`classification ${name}: ${n}+${nt} x ${dim}, ${classes} labels ...\n`);
      const { X, y } = labelled(n + nt, dim, classes, 1);
      const train = { rows: n, dim, data: X.data.subarray(0, n * dim) };
      const test = { rows: nt, dim, data: X.data.subarray(n * dim) };
      // Warm-up on a slice (module compile, worker threads): once per run in a real evaluation, not per task.
      fitLogisticRegression({ rows: 500, dim, data: train.data.subarray(0, 500 * dim) }, y.slice(0, 500), { sklearn: flavour, threads, maxIter: 3 });
      const cpu0 = process.cpuUsage();
      const [[model, pred], ours] = time(() => {
        const m = fitLogisticRegression(train, y.slice(0, n), { sklearn: flavour, threads });
        return [m, predict(m, test)] as const;
      });
      const cpu = process.cpuUsage(cpu0);
      const cpuS = (cpu.user + cpu.system) / 1e6;
      const ref = reference(
        { kind: 'classification', train: save('train', train), test: save('test', test), y: y.slice(0, n) },
        threads ? { OPENBLAS_NUM_THREADS: String(threads), OMP_NUM_THREADS: String(threads) } : undefined,
      );
      const ourPred = Array.from(pred as ArrayLike<number>);
      const refPred = ref?.all_predictions as number[] | undefined;
      out.push({
        evaluator: 'classification (logistic regression fit + predict)',
        shape: `${name}: ${n} train + ${nt} test x ${dim}, ${classes} labels`,
        threads: threads ?? 'all',
        objective: `sklearn ${flavour}`,
        // which kernels ran the fit's products: dense64-native.c's AVX-512 / AVX2 path, or the wasm (MTEB_TS_NATIVE=0)
        dense64_kernels: kernelsName(dense64Native()?.level),
        python_sklearn: sklearnVersion,
        ours_s: ours,
        ours_cpu_s: cpuS,
        n_iter: model.nIter,
        predictions_sha256: createHash('sha256').update(JSON.stringify(ourPred)).digest('hex'),
        load_avg_1m: os.loadavg()[0],
        python_s: ref?.seconds ?? null,
        python_cpu_s: ref?.cpu_seconds ?? null,
        python_n_iter: ref?.n_iter ?? null,
        python_predictions_equal: refPred ? refPred.length === ourPred.length && refPred.every((p, i) => p === ourPred[i]) : null,
        ratio: ref ? ours / Number(ref.seconds) : null,
        cpu_ratio: ref ? cpuS / Number(ref.cpu_seconds) : null,
      });
    }
  }
  if (!only || only.includes('clustering')) {
    // 1,024 dims (most models) and 4,096 (NV-Embed-sized).
    const shapes = quick ? [[5000, 128, 20]] : [[50_000, 1024, 100], [50_000, 4096, 100]];
    for (const [n, dim, k] of shapes) {
      process.stderr.write(`clustering ${n} x ${dim}, k = ${k} ...\n`);
      const { X } = labelled(n, dim, k, 2);
      const threads = arg('--threads') ? Number(arg('--threads')) : undefined;
      const ref = reference({ kind: 'clustering', data: save('data', X), k }, threads ? { OPENBLAS_NUM_THREADS: String(threads), OMP_NUM_THREADS: String(threads) } : undefined);
      const blas = resolveScoreProducts('auto');
      // Warm-up (module compile, workspace, BLAS load) on a slice, so neither timed row pays it.
      for (const products of ['auto', 'off'] as const) fitMiniBatchKMeans({ rows: 2000, dim, data: X.data.subarray(0, 2000 * dim) }, { nClusters: k, batchSize: 500, seed: 42, threads, products });
      for (const products of (arg('--products') ?? 'blas,wasm').split(',')) {
        if (products === 'blas' && !blas) {
          process.stderr.write('  no BLAS library loads: BLAS row skipped\n');
          continue;
        }
        const cpu0 = process.cpuUsage();
        const [r, ours] = time(() => fitMiniBatchKMeans(X, { nClusters: k, batchSize: 500, seed: 42, threads, products: products === 'blas' ? 'auto' : 'off' }));
        const cpu = process.cpuUsage(cpu0);
        const cpuS = (cpu.user + cpu.system) / 1e6;
        out.push({ evaluator: 'clustering (MiniBatchKMeans, batch 500)', shape: `${n} x ${dim}, k = ${k}`, threads: threads ?? 'all', products: products === 'blas' ? blas!.description : 'wasm', ours_s: ours, ours_cpu_s: cpuS, n_steps: r.nSteps, fit_sha256: fitHash(r), load_avg_1m: os.loadavg()[0], python_s: ref?.seconds ?? null, python_cpu_s: ref?.cpu_seconds ?? null, python_n_steps: ref?.n_steps ?? null, ratio: ref ? ours / Number(ref.seconds) : null, cpu_ratio: ref ? cpuS / Number(ref.cpu_seconds) : null });
      }
    }
    // mteb 2.x's fast protocol (fast-protocol.ts): per level, 10 bootstrap samples of 16,384 embedded documents
    // drawn with replacement, each clustered by MiniBatchKMeans(batch 512, n_init 1, random_state 42); timed over
    // the 10 rounds (gather + fit) on both sides, the same index lists.
    const [fn, fdim, fk, fsample, frounds] = quick ? [3000, 128, 10, 2048, 3] : [20_000, 1024, 50, 16_384, 10];
    process.stderr.write(`clustering, fast protocol: ${frounds} x ${fsample} of ${fn} x ${fdim}, k = ${fk} ...\n`);
    const { X: F } = labelled(fn, fdim, fk, 5);
    const pick = mulberry32(6);
    const idx = Int32Array.from({ length: frounds * fsample }, () => Math.floor(pick() * fn));
    const threads = arg('--threads') ? Number(arg('--threads')) : undefined;
    const idxFile = path.join(dir, 'fast-idx.i32');
    writeFileSync(idxFile, Buffer.from(idx.buffer));
    const fref = reference({ kind: 'clustering-fast', data: save('fast', F), idx: idxFile, sample: fsample, rounds: frounds, k: fk }, threads ? { OPENBLAS_NUM_THREADS: String(threads), OMP_NUM_THREADS: String(threads) } : undefined);
    const blas = resolveScoreProducts('auto');
    const fitRound = (r: number, products: 'auto' | 'off') => {
      const rows = idx.subarray(r * fsample, (r + 1) * fsample);
      const data = new Float32Array(fsample * fdim);
      rows.forEach((row, i) => data.set(F.data.subarray(row * fdim, row * fdim + fdim), i * fdim));
      return fitMiniBatchKMeans({ rows: fsample, dim: fdim, data }, { nClusters: fk, batchSize: 512, seed: 42, threads, products });
    };
    for (const products of (arg('--products') ?? 'blas,wasm').split(',')) {
      if (products === 'blas' && !blas) continue;
      const p = products === 'blas' ? 'auto' : 'off';
      fitMiniBatchKMeans({ rows: 2000, dim: fdim, data: F.data.subarray(0, 2000 * fdim) }, { nClusters: fk, batchSize: 512, seed: 42, threads, products: p });
      const h = createHash('sha256');
      const steps: number[] = [];
      const cpu0 = process.cpuUsage();
      const [, ours] = time(() => {
        for (let r = 0; r < frounds; r++) {
          const fit = fitRound(r, p);
          steps.push(fit.nSteps);
          h.update(fitHash(fit));
        }
      });
      const cpu = process.cpuUsage(cpu0);
      const cpuS = (cpu.user + cpu.system) / 1e6;
      out.push({ evaluator: 'clustering, v2 fast protocol (MiniBatchKMeans, batch 512, n_init 1)', shape: `${frounds} rounds x ${fsample} sampled of ${fn} x ${fdim}, k = ${fk}`, threads: threads ?? 'all', products: products === 'blas' ? blas!.description : 'wasm', ours_s: ours, ours_cpu_s: cpuS, n_steps: steps, fit_sha256: h.digest('hex'), load_avg_1m: os.loadavg()[0], python_s: fref?.seconds ?? null, python_cpu_s: fref?.cpu_seconds ?? null, python_n_steps: fref?.n_steps ?? null, ratio: fref ? ours / Number(fref.seconds) : null, cpu_ratio: fref ? cpuS / Number(fref.cpu_seconds) : null });
    }
  }
  if (!only || only.includes('bitext')) {
    // The shapes (Tatoeba-, BUCC-sized and a long sentence2 list). Every side times only the core
    // computation (cosine top-1 of every sentence1: normalising, the products, the decision) on the same inputs
    // held in memory: ours in this process; two references, each in ONE Python process per shape (reference.py's
    // serve mode: imports and inputs loaded before any timing): mteb 1.12's own protocol on torch ("bitext-mteb":
    // query chunks of 100, both chunks re-normalised per chunk pair, topk, per-query lists of dicts, a sort per
    // query) and a stricter numpy baseline ("bitext": normalised once, one GEMM per 256 queries, argmax).
    // Rounds are interleaved one for one, the order rotating each round, so that the shared machine's load hits
    // all sides alike. Round 1 is each side's first call in its process (cold: ours sets up the engine's and
    // scorer's memory, as for a run's first bitext task; truly cold on the first shape only, later shapes find
    // this process's buffers), the median of the later rounds the steady state of a run over many subsets
    // (Tatoeba has 112). CPU seconds are each process's own, all threads. Both references' first answers carry
    // their predictions, compared with ours index for index.
    const shapes: [number, number, number][] = quick ? [[500, 500, 256], [100, 20_000, 128]] : [[2500, 2500, 1024], [5000, 5000, 768], [300, 600_000, 768]];
    const rounds = Number(arg('--rounds') ?? 5);
    const refKinds = (arg('--bitext-refs') ?? 'mteb,numpy').split(',');
    const med = (x: number[]) => [...x].sort((p, q) => p - q)[Math.floor(x.length / 2)];
    const warm = (x: number[]) => (x.length > 1 ? med(x.slice(1)) : x[0]);
    for (const [n, n2, dim] of shapes) {
      process.stderr.write(`bitext ${n} x ${n2} x ${dim}, ${rounds} rounds ...\n`);
      const a = labelled(n, dim, n, 3).X;
      const rnd = mulberry32(4);
      // sentence2: a noisy copy of each sentence1 (its translation), then unrelated rows.
      const bd = new Float32Array(n2 * dim);
      for (let i = 0; i < n2 * dim; i++) bd[i] = (i < n * dim ? a.data[i] : rnd() - 0.5) + (rnd() - 0.5) * 0.5;
      const b = { rows: n2, dim, data: bd };
      const threads = arg('--threads') ? Number(arg('--threads')) : undefined;
      const env = threads ? { OPENBLAS_NUM_THREADS: String(threads), OMP_NUM_THREADS: String(threads) } : undefined;
      const files = { emb1: save('emb1', a), emb2: save('emb2', b) };
      interface Side {
        name: string;
        wall: number[];
        cpu: number[];
        predictions?: number[];
        accuracy?: number;
        info?: Record<string, unknown>;
        round(): Promise<void>;
        close(): void;
      }
      const sides: Side[] = [];
      const ourSide: Side = {
        name: 'ours',
        wall: [],
        cpu: [],
        round: async () => {
          const cpu0 = process.cpuUsage();
          const t0 = process.hrtime.bigint();
          const pred = await nearestNeighbours(a, b, 'cosine', { threads });
          ourSide.wall.push(Number(process.hrtime.bigint() - t0) / 1e9);
          const cpu = process.cpuUsage(cpu0);
          ourSide.cpu.push((cpu.user + cpu.system) / 1e6);
          ourSide.predictions = pred;
          ourSide.accuracy = pred.filter((p, i) => p === i).length / n;
        },
        close: () => {},
      };
      sides.push(ourSide);
      for (const kind of refKinds) {
        const server = await referenceServer({ kind: kind === 'mteb' ? 'bitext-mteb' : 'bitext', ...files, serve: true, threads: threads ?? null }, env);
        if (!server) {
          process.stderr.write(`  the ${kind} reference did not start: skipped\n`);
          continue;
        }
        const side: Side = {
          name: kind,
          wall: [],
          cpu: [],
          info: server.ready,
          round: async () => {
            const r = await server.round();
            side.wall.push(Number(r.seconds));
            side.cpu.push(Number(r.cpu_seconds));
            side.accuracy = Number(r.accuracy);
            if (Array.isArray(r.predictions)) side.predictions = r.predictions as number[];
          },
          close: () => server.close(),
        };
        sides.push(side);
      }
      try {
        for (let r = 0; r < rounds; r++) for (let i = 0; i < sides.length; i++) await sides[(r + i) % sides.length].round();
      } finally {
        for (const side of sides) side.close();
      }
      const row: Record<string, unknown> = {
        evaluator: 'bitext mining (cosine top-1)',
        shape: `${n} x ${n2} x ${dim}`,
        threads: threads ?? 'all',
        timing: 'core only, all sides in memory; each reference: one persistent Python process per shape; rounds interleaved, order rotating; round 1 cold, steady = median of rounds 2..',
        ours_s: warm(ourSide.wall),
        ours_cpu_s: warm(ourSide.cpu),
        ours_cold_s: ourSide.wall[0],
        ours_rounds_s: ourSide.wall,
        ours_cpu_rounds_s: ourSide.cpu,
        accuracy: ourSide.accuracy,
        predictions_sha256: createHash('sha256').update(JSON.stringify(ourSide.predictions)).digest('hex'),
      };
      for (const side of sides.slice(1)) {
        const has = side.wall.length === ourSide.wall.length;
        const label = side.name === 'mteb' ? 'mteb' : 'numpy';
        Object.assign(row, {
          [`${label}_reference`]: side.name === 'mteb' ? `mteb 1.12 _similarity_search protocol on torch ${side.info?.torch_version} (${side.info?.torch_threads} threads; torch's default here: ${side.info?.torch_default_threads})` : 'numpy: normalised once, one GEMM + argmax per 256 queries (stricter than mteb)',
          [`${label}_s`]: has ? warm(side.wall) : null,
          [`${label}_cpu_s`]: has ? warm(side.cpu) : null,
          [`${label}_cold_s`]: has ? side.wall[0] : null,
          [`ratio_vs_${label}`]: has ? warm(ourSide.wall) / warm(side.wall) : null,
          [`cpu_ratio_vs_${label}`]: has ? warm(ourSide.cpu) / warm(side.cpu) : null,
          [`cold_ratio_vs_${label}`]: has ? ourSide.wall[0] / side.wall[0] : null,
          [`ratio_per_round_vs_${label}`]: has ? ourSide.wall.map((x, i) => x / side.wall[i]) : null,
          [`cpu_ratio_per_round_vs_${label}`]: has ? ourSide.cpu.map((x, i) => x / side.cpu[i]) : null,
          [`${label}_rounds_s`]: side.wall,
          [`${label}_cpu_rounds_s`]: side.cpu,
          [`${label}_accuracy`]: side.accuracy,
          [`${label}_predictions_equal_ours`]: side.predictions ? side.predictions.length === n && side.predictions.every((p, i) => p === ourSide.predictions![i]) : null,
        });
      }
      row.load_avg_1m = os.loadavg()[0];
      out.push(row);
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
process.stdout.write(JSON.stringify({ machine: `${os.cpus()[0]?.model} x ${os.availableParallelism()}`, node: process.version, date: new Date().toISOString(), results: out }, null, 2) + '\n');
