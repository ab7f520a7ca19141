import type { Embedder } from '../core/embedder.js';

export interface CacheStats {
  /** Texts answered from the cache. */
  hits: number;
  /** Texts the wrapped embedder had to embed (after de-duplication). */
  misses: number;
  chunksWritten: number;
  /** Chunk files whose vectors were read (and, the first time in this process, hashed). */
  chunksRead: number;
  /** Chunk files found truncated/altered/unreadable; moved aside and their texts re-embedded. */
  corruptChunks: number;
  /** Chunk indexes missing or damaged, rebuilt from their (verified) chunk. */
  indexesRebuilt: number;
  bytesWritten: number;
  bytesRead: number;
}

export function emptyStats(): CacheStats {
  return { hits: 0, misses: 0, chunksWritten: 0, chunksRead: 0, corruptChunks: 0, indexesRebuilt: 0, bytesWritten: 0, bytesRead: 0 };
}

export interface EmbeddingCacheOptions {
  /**
   * Rows per chunk file (default 4096). New vectors are buffered across `embed` calls until this many are
   * pending, so a `kill -9` loses at most this many rows (plus one call's worth); SIGINT/SIGTERM, process exit,
   * `flush()` and `close()` write whatever is pending.
   */
  chunkRows?: number;
  /** Minimum milliseconds between rescans of a namespace folder for other processes' chunks (default 1000). */
  refreshMs?: number;
  /** Where warnings go (default stderr). */
  warn?: (msg: string) => void;
}

/** An embedder answered through the cache; `flush()` writes pending vectors now (e.g. when a task ends). */
export type CachingEmbedder = Embedder & { flush(): Promise<void>; close(): Promise<void> };
