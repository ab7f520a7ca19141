/**
 * The caching embedder: an Embedder that answers each text from the cache when it can and embeds the rest
 * once (de-duplicated, in calls of at most `chunkRows` texts), returning exactly the inner embedder's vectors.
 * It knows the inner model only through the Embedder interface (src/core), so any model can be wrapped.
 */
import type { EmbedOptions, Embedder } from '../core/embedder.js';
import { MtebError } from '../core/errors.js';
import type { Matrix } from '../core/matrix.js';
import { wrapEmbedder } from '../core/wrap-embedder.js';
import { checkMatrix } from '../core/vector-check.js';
import { DIGEST_BYTES, type DecodedChunk } from './chunk-file.js';
import { textDigest } from './keys.js';
import { locate, type Block, type Namespace } from './namespace.js';
import type { CachingEmbedder } from './types.js';

/** What the caching embedder needs of its cache; `EmbeddingCache` (embedding-cache.ts) provides it. */
export interface CacheBackend {
  readonly chunkRows: number;
  /** The namespace of (model, role, instruction), opened on first use. */
  namespaceFor(inner: Embedder, options: EmbedOptions): Promise<Namespace>;
  readChunk(ns: Namespace, file: string): Promise<DecodedChunk | null>;
  /** Rebuilds an index found to disagree with its verified chunk. */
  reindex(ns: Namespace, file: string, chunk: DecodedChunk): Promise<void>;
  /** Rescans the namespace folder for other processes' chunks unless it did so very recently; true if it did. */
  refreshIfStale(ns: Namespace): Promise<boolean>;
  countHits(n: number): void;
  countMisses(n: number): void;
  /** Buffers freshly embedded vectors for the next chunk file, writing one when enough are pending. */
  buffer(ns: Namespace, block: Block): Promise<void>;
  flush(): Promise<void>;
  /** Dimension of vectors already cached for this model, 0 if none yet. */
  knownDim(inner: Embedder): number;
}

export function cachingEmbedder(cache: CacheBackend, inner: Embedder): CachingEmbedder {
  return wrapEmbedder(inner, {
    // A remote model learns its dimension from its first response, which a fully cached run never sends.
    get dimension() {
      return inner.dimension || cache.knownDim(inner);
    },
    embed: (texts: string[], options: EmbedOptions) => embedThrough(cache, inner, texts, options),
    flush: () => cache.flush(),
    close: async () => {
      await cache.flush();
      await inner.close?.();
    },
  });
}

async function embedThrough(cache: CacheBackend, inner: Embedder, texts: string[], options: EmbedOptions): Promise<Matrix> {
  const ns = await cache.namespaceFor(inner, options);
  const n = texts.length;
  const digests = texts.map((t) => textDigest(t));
  const hexes = digests.map((d) => d.toString('latin1'));
  let dim = ns.dim ?? inner.dimension;
  let out: Float32Array | undefined = dim ? new Float32Array(n * dim) : undefined;
  const filled = new Uint8Array(n);
  const setRow = (i: number, v: Float32Array) => {
    if (!out || v.length !== dim) {
      if (out && filled.some((f) => f)) throw new MtebError('E_EMBEDDING_DIM', `${inner.name} returned dimension ${v.length} but cached vectors have ${dim}`);
      dim = v.length;
      out = new Float32Array(n * dim);
    }
    out.set(v, i * dim);
    filled[i] = 1;
  };

  // Hits: vectors of this process not yet on disk, then chunk files, each read once per call.
  const fromFiles = async () => {
    const byFile = new Map<string, number[]>();
    for (let i = 0; i < n; i++) {
      if (filled[i]) continue;
      const mem = ns.unwritten.get(hexes[i]);
      if (mem) setRow(i, mem);
      else {
        const at = locate(ns, hexes[i]);
        if (at) (byFile.get(at.file) ?? byFile.set(at.file, []).get(at.file)!).push(i);
      }
    }
    for (const [file, idx] of byFile) {
      const chunk = await cache.readChunk(ns, file);
      if (!chunk) continue;
      // The index promised each text at some row; only the verified chunk's own digest column is trusted.
      // Returns false only when the index was wrong about this chunk (a concurrent forget is not an error).
      const take = (i: number): boolean => {
        const at = locate(ns, hexes[i]);
        if (at === undefined || at.file !== file) return true;
        const r = at.row;
        if (r >= chunk.rows || !digests[i].equals(chunk.digests.subarray(r * DIGEST_BYTES, (r + 1) * DIGEST_BYTES))) return false;
        setRow(i, chunk.vectors.subarray(r * chunk.dim, (r + 1) * chunk.dim));
        return true;
      };
      const stale = idx.filter((i) => !take(i));
      if (stale.length) {
        await cache.reindex(ns, file, chunk);
        for (const i of stale) take(i);
      }
    }
  };
  await fromFiles();
  if (!filled.every((f) => f) && (await cache.refreshIfStale(ns))) await fromFiles();

  // Misses, de-duplicated, embedded in calls of at most chunkRows texts and buffered for the next chunk file.
  const firstOf = new Map<string, number>();
  const todo: number[] = [];
  for (let i = 0; i < n; i++) {
    if (filled[i] || firstOf.has(hexes[i])) continue;
    firstOf.set(hexes[i], i);
    todo.push(i);
  }
  let hits = 0;
  for (let i = 0; i < n; i++) hits += filled[i];
  cache.countHits(hits);
  let done = n - todo.length;
  options.onProgress?.(done);
  for (let s = 0; s < todo.length; s += cache.chunkRows) {
    const part = todo.slice(s, s + cache.chunkRows);
    const partTexts = part.map((i) => texts[i]);
    const got = await inner.embed(partTexts, { ...options, onProgress: (d) => options.onProgress?.(done + d) });
    // Nothing wrong is ever cached: the shared check of a model's output, against the namespace's dimension.
    const m = checkMatrix(got, partTexts, ns.dim, `model ${inner.name}`);
    const block: Block = { digests: new Uint8Array(part.length * DIGEST_BYTES), vectors: m.data.slice(0, m.rows * m.dim), rows: part.length, dim: m.dim };
    part.forEach((i, r) => {
      block.digests.set(digests[i], r * DIGEST_BYTES);
      const v = block.vectors.subarray(r * m.dim, (r + 1) * m.dim);
      ns.unwritten.set(hexes[i], v);
      setRow(i, v);
    });
    cache.countMisses(part.length);
    done += part.length;
    options.onProgress?.(done);
    await cache.buffer(ns, block);
  }
  // Later duplicates of a text copy its first occurrence.
  for (let i = 0; i < n; i++) {
    if (filled[i]) continue;
    const j = firstOf.get(hexes[i])!;
    out!.set(out!.subarray(j * dim, (j + 1) * dim), i * dim);
  }
  return { rows: n, dim, data: out ?? new Float32Array(0) };
}
