// The onnx engine: the search graphs of src/search/onnx-graph.ts run by a Runner, on the calling thread
// (onnx-inprocess.ts) or in a worker thread (onnx-worker.ts); onnx-open.ts picks which.
import type { SearchGraphSpec } from '../onnx-graph.js';
import type { Similarity } from '../types.js';
import type { ScoreEngine } from './types.js';

export type RunOut = { values?: Float32Array; indices?: BigInt64Array; scores?: Float32Array; qSq?: Float32Array; cSq?: Float32Array };
export type Feeds = { queries: Float32Array; m: number; corpus?: { data: Float32Array | Uint16Array; n: number; dim: number }; kk?: number; dim: number };
export interface Runner {
  run(spec: SearchGraphSpec, feeds: Feeds): Promise<RunOut>;
  close(): Promise<void>;
}

export class OnnxEngine implements ScoreEngine {
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
export function sessionOptions(threads: number) {
  return {
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all' as const,
    enableCpuMemArena: false,
    extra: { session: { intra_op: { allow_spinning: '0' } } },
  };
}

