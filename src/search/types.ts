import type { Matrix } from '../core/matrix.js';

export type Similarity = 'cosine' | 'dot';

/**
 * One slice of the corpus. `data` is row-major float32, or IEEE half-precision bit patterns (Uint16Array) when
 * the corpus is stored as fp16 to halve its memory; search widens a chunk to float32 only while it scores it.
 */
export interface CorpusChunk {
  ids: string[];
  dim: number;
  data: Float32Array | Uint16Array;
}

/**
 * Yields the corpus chunk by chunk, so search memory is bounded by the chunk size, not the corpus. A chunk's
 * `data` is only valid until the next chunk is requested (providers may reuse one buffer): copy what you keep.
 * (This repository's providers that never reuse a buffer register their chunks in stable-chunk.ts; exact search
 * then reads them in place instead of copying them.)
 */
export interface CorpusProvider {
  readonly dim: number;
  /** Number of documents, when known (progress, HNSW capacity). */
  readonly size?: number;
  chunks(): AsyncIterable<CorpusChunk>;
}

export interface SearchOptions {
  similarity: Similarity;
  /** Per query (same order as the query rows): doc ids never to return (mteb ≤1.12.52 skips doc id == query id). */
  excludeIds?: ReadonlyArray<ReadonlySet<string> | undefined>;
  /** Called with the number of corpus documents scored so far. */
  onProgress?: (docsDone: number) => void;
}

export interface SearchResult {
  /** ids[q] = up to k doc ids ordered by (score desc, doc id desc by UTF-8 bytes), as trec_eval ranks them. */
  ids: string[][];
  /** scores[q][r] = float32 similarity of ids[q][r]; NaN scores are reported as -1 (mteb). */
  scores: Float32Array[];
  /**
   * Backend facts worth keeping next to results (HNSW parameters, sampled recall; how exact scores are
   * computed). Written into result files, so only what is the same on every machine belongs here.
   */
  meta?: Record<string, unknown>;
  /** How this machine got there (engine, library, work done): for logs and benchmarks, never for result files. */
  diagnostics?: SearchDiagnostics;
}

export interface SearchDiagnostics {
  /** Score engine that proposed candidates ('blas', 'onnx', 'js', ...). */
  engine?: string;
  /** e.g. "OpenBLAS 0.3.21 SkylakeX, 4 GEMMs in flight". */
  engineDetail?: string;
  /** Query/document pairs rescored with the canonical score. */
  rescored?: number;
  /** Query rows whose full score row was rescanned (the engine's candidates ran out above the line). */
  fullRowRescans?: number;
  /** Provider chunks appended to an earlier one for rescoring (exact search's coalescing). */
  coalescedChunks?: number;
  /** Of those, chunks rescored in place as the last of a coalesced chunk (no copy: exact search's streaming). */
  streamedChunks?: number;
  /** Wall-clock seconds of the backend's phases (e.g. HNSW build and query). */
  seconds?: Record<string, number>;
}

/** One interface, interchangeable implementations (`exact`, `hnsw`), one conformance suite (tests/search). */
export interface SearchBackend {
  readonly name: string;
  search(queries: Matrix, corpus: CorpusProvider, k: number, opts: SearchOptions): Promise<SearchResult>;
  close?(): Promise<void>;
}
