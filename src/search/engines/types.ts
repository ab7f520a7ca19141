import type { Similarity } from '../types.js';

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

