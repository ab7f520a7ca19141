import os from 'node:os';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { MtebError } from '../core/errors.js';
import { buildSearchGraph, graphKey, type SearchGraphSpec } from './onnx-graph.js';
import type { Similarity } from './types.js';
import { chunkToFloat32, torchNormalizeInto } from './vectors.js';

export type EngineName = 'auto' | 'blas' | 'onnx' | 'js';
export const ENGINE_NAMES: readonly EngineName[] = ['auto', 'blas', 'onnx', 'js'];

export interface TopKResult {
  /** Per query kk slots, best first. */
  values: Float32Array;
  /** Chunk row of each slot; -1 marks an empty slot (engines that honour floors may return fewer than kk). */
  indices: ArrayLike<number | bigint>;
}

/**
 * Scores one corpus chunk (set once, as stored: float32 or fp16 bits) against query batches with mteb's
 * semantics (cosine = normalise then dot; NaN → -1). `topk` returns per query the kk best scores sorted
 * descending, equal scores by lower column index first (ONNX TopK semantics); an engine may skip scores below
 * `floors[q]` (the query's current k-th best over earlier chunks: nothing below it can enter the top k) and
 * then leave slots empty. `scores` returns the full matrix with the very same float32 values, used to resolve
 * ties at the cut.
 */
export interface ScoreEngine {
  readonly name: string;
  /** What computes the scores, for result metadata (e.g. "OpenBLAS 0.3.21 SkylakeX, 2 streams"). */
  readonly description?: string;
  setChunk(data: Float32Array | Uint16Array, n: number, dim: number, similarity: Similarity): Promise<void>;
  topk(q: Float32Array, m: number, kk: number, floors?: ArrayLike<number>): Promise<TopKResult>;
  scores(q: Float32Array, m: number): Promise<Float32Array>;
  close(): Promise<void>;
}

/**
 * `auto` (default): the BLAS engine when a fast CBLAS library loads (OpenBLAS, BLIS, MKL, Accelerate), else
 * onnxruntime. `blas` insists (E_PROVIDER_UNAVAILABLE with the install command otherwise); `js` is the plain-loop
 * reference for tests.
 */
export async function createScoreEngine(name: EngineName, threads?: number, blasLibrary?: string): Promise<ScoreEngine> {
  if (name === 'js') return new JsEngine();
  if (name === 'blas' || name === 'auto') {
    const { BlasEngine } = await import('./blas/blas-engine.js');
    try {
      return BlasEngine.create(threads, blasLibrary);
    } catch (e) {
      if (name === 'blas' || !(e instanceof MtebError && e.code === 'E_PROVIDER_UNAVAILABLE')) throw e;
    }
  }
  const t = threads ?? os.availableParallelism();
  const inProcess = new OnnxEngine(new InProcessRunner(await import('onnxruntime-node'), t));
  if (await inProcess.works()) return inProcess;
  await inProcess.close();
  return new OnnxEngine(await WorkerRunner.create(t));
}

type RunOut = { values?: Float32Array; indices?: BigInt64Array; scores?: Float32Array; qSq?: Float32Array; cSq?: Float32Array };
type Feeds = { queries: Float32Array; m: number; corpus?: { data: Float32Array | Uint16Array; n: number; dim: number }; kk?: number; dim: number };
interface Runner {
  run(spec: SearchGraphSpec, feeds: Feeds): Promise<RunOut>;
  close(): Promise<void>;
}

class OnnxEngine implements ScoreEngine {
  readonly name = 'onnx';
  readonly description = 'onnxruntime (MLAS)';
  private chunk?: { data: Float32Array | Uint16Array; n: number; dim: number };
  private normalize = false;
  /** Whether the last topk needed the NaN-safe graph; scores() must then use it too (same values). */
  private safe = false;
  constructor(private readonly runner: Runner) {}

  /** False inside a vm sandbox (jest) where onnxruntime-node cannot build its output tensors. */
  async works(): Promise<boolean> {
    try {
      await this.setChunk(Float32Array.of(1, 0), 1, 2, 'dot');
      await this.topk(Float32Array.of(1, 0), 1, 1);
      return true;
    } catch (e) {
      if (e instanceof Error && /tensor's data must be type/.test(e.message)) return false;
      throw e;
    }
  }

  private spec(withTopK: boolean, nanSafe: boolean): SearchGraphSpec {
    return { withTopK, nanSafe, normalize: this.normalize, corpusDtype: this.chunk!.data instanceof Uint16Array ? 'float16' : 'float32' };
  }

  async setChunk(data: Float32Array | Uint16Array, n: number, dim: number, similarity: Similarity): Promise<void> {
    this.chunk = { data, n, dim };
    this.normalize = similarity === 'cosine';
  }

  async topk(q: Float32Array, m: number, kk: number) {
    const feeds = { queries: q, m, dim: this.chunk!.dim, corpus: this.chunk, kk };
    let r = await this.runner.run(this.spec(true, false), feeds);
    this.safe = !allFinite(r.qSq!) || !allFinite(r.cSq!);
    if (this.safe) r = await this.runner.run(this.spec(true, true), feeds);
    return { values: r.values!, indices: r.indices! };
  }

  async scores(q: Float32Array, m: number) {
    return (await this.runner.run(this.spec(false, this.safe), { queries: q, m, dim: this.chunk!.dim, corpus: this.chunk })).scores!;
  }

  close(): Promise<void> {
    return this.runner.close();
  }
}

function allFinite(a: Float32Array): boolean {
  for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i])) return false;
  return true;
}

/**
 * Every search graph (top-k/scores × dot/cosine × fp32/fp16 × fast/NaN-safe) is its own session with its own
 * intra-op thread pool. With spinning allowed, the idle pools of the sessions that just ran keep spinning on the
 * cores while the next one computes: alternating two graphs on 2 cores made each run ~2× slower (dot 1.26 s vs
 * 0.56 s per 1000 × 50,000 × 1,024 chunk, measured). Without spinning a pool sleeps between runs; a run here
 * is one large parallel Gemm, so the wake-up costs nothing measurable.
 */
function sessionOptions(threads: number) {
  return {
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all' as const,
    enableCpuMemArena: false,
    extra: { session: { intra_op: { allow_spinning: '0' } } },
  };
}

type Ort = typeof import('onnxruntime-node');

/** onnxruntime on the calling thread: inputs are wrapped, not copied, so a stored corpus is read in place. */
class InProcessRunner implements Runner {
  private sessions = new Map<string, Promise<import('onnxruntime-node').InferenceSession>>();
  constructor(private readonly ort: Ort, private readonly threads: number) {}

  private session(spec: SearchGraphSpec) {
    const key = graphKey(spec);
    let s = this.sessions.get(key);
    if (!s) {
      s = this.ort.InferenceSession.create(buildSearchGraph(spec), sessionOptions(this.threads));
      this.sessions.set(key, s);
    }
    return s;
  }

  async run(spec: SearchGraphSpec, f: Feeds) {
    const { Tensor } = this.ort;
    const c = f.corpus!;
    const feeds: Record<string, import('onnxruntime-node').Tensor> = {
      queries: new Tensor('float32', f.queries, [f.m, f.dim]),
      corpus: c.data instanceof Uint16Array ? new Tensor('float16', c.data, [c.n, c.dim]) : new Tensor('float32', c.data, [c.n, c.dim]),
    };
    if (spec.withTopK) feeds.k = new Tensor('int64', BigInt64Array.of(BigInt(f.kk!)), [1]);
    const out = await (await this.session(spec)).run(feeds);
    const r: RunOut = spec.withTopK ? { values: out.values.data as Float32Array, indices: out.indices.data as BigInt64Array } : { scores: out.scores.data as Float32Array };
    if (!spec.nanSafe) {
      r.qSq = out.q_sq.data as Float32Array;
      r.cSq = out.c_sq.data as Float32Array;
    }
    return r;
  }

  async close(): Promise<void> {
    for (const s of this.sessions.values()) await (await s).release();
    this.sessions.clear();
  }
}

/**
 * Fallback for vm sandboxes such as jest's, where onnxruntime-node's instanceof checks on the native typed
 * arrays it returns fail: the same sessions in a worker thread (a plain Node realm). Costs one copy per chunk.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const ort = require(workerData.ortPath);
const sessions = new Map();
let corpus;
parentPort.on('message', async (msg) => {
  try {
    if (msg.op === 'session') {
      sessions.set(msg.key, await ort.InferenceSession.create(msg.graph, workerData.options));
      parentPort.postMessage({ id: msg.id });
    } else if (msg.op === 'chunk') {
      corpus = msg.f16 ? new ort.Tensor('float16', msg.data, [msg.n, msg.dim]) : new ort.Tensor('float32', msg.data, [msg.n, msg.dim]);
      parentPort.postMessage({ id: msg.id });
    } else if (msg.op === 'run') {
      const feeds = { queries: new ort.Tensor('float32', msg.q, [msg.m, msg.dim]), corpus };
      if (msg.kk) feeds.k = new ort.Tensor('int64', BigInt64Array.of(BigInt(msg.kk)), [1]);
      const out = await sessions.get(msg.key).run(feeds);
      const reply = { id: msg.id };
      for (const [name, key] of [['values', 'values'], ['indices', 'indices'], ['scores', 'scores'], ['q_sq', 'qSq'], ['c_sq', 'cSq']]) {
        if (out[name]) reply[key] = out[name].data;
      }
      parentPort.postMessage(reply, Object.values(reply).filter((v) => v && v.buffer).map((v) => v.buffer));
    } else if (msg.op === 'close') {
      for (const s of sessions.values()) await s.release();
      parentPort.postMessage({ id: msg.id });
    }
  } catch (e) {
    parentPort.postMessage({ id: msg.id, error: String((e && e.stack) || e) });
  }
});
`;

class WorkerRunner implements Runner {
  private nextId = 1;
  private pending = new Map<number, { resolve: (v: any) => void; reject: (e: unknown) => void }>();
  private known = new Set<string>();
  private sentChunk?: Float32Array | Uint16Array;

  private constructor(private readonly worker: Worker) {
    worker.on('message', (msg: any) => {
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      if (msg.error) p.reject(new MtebError('E_INTERNAL', `onnxruntime search failed: ${msg.error}`));
      else p.resolve(msg);
    });
    worker.on('error', (e) => {
      for (const p of this.pending.values()) p.reject(e);
      this.pending.clear();
    });
    worker.unref();
  }

  static async create(threads: number): Promise<WorkerRunner> {
    const ortPath = createRequire(import.meta.url).resolve('onnxruntime-node');
    return new WorkerRunner(new Worker(WORKER_SOURCE, { eval: true, workerData: { ortPath, options: sessionOptions(threads) } }));
  }

  private call(msg: Record<string, unknown>, transfer: ArrayBuffer[] = []): Promise<any> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.ref();
      this.worker.postMessage({ ...msg, id }, transfer);
    }).finally(() => {
      if (this.pending.size === 0) this.worker.unref();
    });
  }

  async run(spec: SearchGraphSpec, f: Feeds) {
    const key = graphKey(spec);
    if (!this.known.has(key)) {
      await this.call({ op: 'session', key, graph: buildSearchGraph(spec) });
      this.known.add(key);
    }
    const c = f.corpus!;
    if (this.sentChunk !== c.data) {
      await this.call({ op: 'chunk', data: c.data, n: c.n, dim: c.dim, f16: c.data instanceof Uint16Array });
      this.sentChunk = c.data;
    }
    const r = await this.call({ op: 'run', key, q: f.queries, m: f.m, dim: f.dim, kk: spec.withTopK ? f.kk : 0 });
    // Typed arrays from the worker belong to this realm's intrinsics only after re-wrapping.
    const f32 = (a: any) => (a ? new Float32Array(a.buffer, a.byteOffset, a.length) : undefined);
    return { values: f32(r.values), indices: r.indices as BigInt64Array | undefined, scores: f32(r.scores), qSq: f32(r.qSq), cSq: f32(r.cSq) };
  }

  async close(): Promise<void> {
    await this.call({ op: 'close' });
    await this.worker.terminate();
  }
}

/** Plain loops with the same semantics: a reference for tests; 100x slower than onnxruntime on real shapes. */
class JsEngine implements ScoreEngine {
  readonly name = 'js';
  private c: Float32Array = new Float32Array(0);
  private n = 0;
  private dim = 0;
  private normalize = false;

  async setChunk(data: Float32Array | Uint16Array, n: number, dim: number, similarity: Similarity): Promise<void> {
    this.normalize = similarity === 'cosine';
    this.c = chunkToFloat32({ ids: [], dim, data });
    if (this.normalize) torchNormalizeInto(this.c, this.c, dim);
    this.n = n;
    this.dim = dim;
  }

  async scores(qIn: Float32Array, m: number): Promise<Float32Array> {
    const { c, n, dim } = this;
    const q = qIn.slice();
    if (this.normalize) torchNormalizeInto(q, q, dim);
    const out = new Float32Array(m * n);
    for (let i = 0; i < m; i++) {
      const qo = i * dim;
      for (let j = 0; j < n; j++) {
        const co = j * dim;
        let s = 0;
        for (let d = 0; d < dim; d++) s += q[qo + d] * c[co + d];
        out[i * n + j] = Number.isNaN(s) ? -1 : s;
      }
    }
    return out;
  }

  async topk(q: Float32Array, m: number, kk: number) {
    const n = this.n;
    const s = await this.scores(q, m);
    const values = new Float32Array(m * kk);
    const indices = new Float64Array(m * kk);
    const order = new Array<number>(n);
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) order[j] = j;
      const row = s.subarray(i * n, (i + 1) * n);
      order.sort((a, b) => (row[a] === row[b] ? a - b : row[b] > row[a] ? 1 : -1));
      for (let r = 0; r < kk; r++) {
        values[i * kk + r] = row[order[r]];
        indices[i * kk + r] = order[r];
      }
    }
    return { values, indices };
  }

  async close(): Promise<void> {}
}
