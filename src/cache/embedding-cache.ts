/**
 * A shared, crash-safe embedding store: `<dir>/ns-<key>/` per (model fingerprint, role, instruction), holding
 * immutable chunk files keyed by sha256(text), each with a small index. Any number of processes may read and
 * add chunks at once (each file has a unique name and appears atomically); a process picks up others' chunks
 * when it meets texts it does not know. Opening reads only the indexes; a chunk's content hash is checked the
 * first time this process reads its vectors.
 *
 * This file holds the store's lifecycle (namespaces opened and rescanned, pending vectors flushed, statistics);
 * namespace.ts the in-memory index and write buffer, chunk-store.ts the chunk files, caching-embedder.ts the
 * Embedder it hands out.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { EmbedOptions, Embedder } from '../core/embedder.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import { cachingEmbedder, type CacheBackend } from './caching-embedder.js';
import { expectedHash, indexFileName, type DecodedChunk } from './chunk-file.js';
import { ChunkStore } from './chunk-store.js';
import { flushOthers, trackUnwritten, untrackUnwritten } from './exit-flush.js';
import { embedderFingerprint, namespaceInfo, namespaceKey, type NamespaceInfo } from './keys.js';
import { ROW_SPAN, addPending, newNamespace, registerChunk, takePending, type Block, type Namespace } from './namespace.js';
import { emptyStats, type CacheStats, type CachingEmbedder, type EmbeddingCacheOptions } from './types.js';

export type { CacheStats, CachingEmbedder, EmbeddingCacheOptions } from './types.js';

export class EmbeddingCache implements CacheBackend {
  private readonly namespaces = new Map<string, Namespace>();
  private readonly opening = new Map<string, Promise<Namespace>>();
  private readonly counters: CacheStats = emptyStats();
  private readonly store: ChunkStore;
  readonly chunkRows: number;
  private readonly refreshMs: number;
  private readonly warn: (msg: string) => void;

  constructor(readonly dir: string, opts: EmbeddingCacheOptions = {}) {
    this.chunkRows = Math.min(ROW_SPAN, Math.max(1, opts.chunkRows ?? 4096));
    this.refreshMs = Math.max(0, opts.refreshMs ?? 1000);
    this.warn = opts.warn ?? ((m) => process.stderr.write(`warning: ${m}\n`));
    this.store = new ChunkStore(this.counters, this.warn, () => {
      if (this.pendingRows() === 0) untrackUnwritten(this);
    });
  }

  stats(): CacheStats {
    return { ...this.counters };
  }

  /** Rows embedded but not yet durable in a chunk file. */
  pendingRows(): number {
    let n = 0;
    for (const ns of this.namespaces.values()) n += ns.unwritten.size;
    return n;
  }

  /** An Embedder returning exactly the inner embedder's vectors, embedding each (text, namespace) once ever. */
  wrap(inner: Embedder): CachingEmbedder {
    return cachingEmbedder(this, inner);
  }

  /** See flushOthers: another instance in this process is about to read this namespace folder. */
  async flushNamespaceDir(dir: string): Promise<void> {
    for (const ns of this.namespaces.values()) if (ns.dir === dir) await this.flushNamespace(ns, true);
  }

  /** Writes every pending vector (a final, possibly short chunk per namespace) and waits for all writes. */
  async flush(): Promise<void> {
    for (const ns of this.namespaces.values()) await this.flushNamespace(ns, true);
  }

  /**
   * Synchronous last-chance write, for signal and exit handlers: every vector not yet in a renamed chunk file
   * (pending, or in an async write that will never finish) goes to disk now. Never throws.
   */
  flushSync(): void {
    for (const ns of this.namespaces.values()) {
      const blocks = [...ns.writing];
      if (ns.pendingRows) blocks.push(takePending(ns));
      for (const b of blocks) {
        try {
          this.store.writeBlockSync(ns, b);
        } catch (e) {
          process.stderr.write(`warning: embedding cache: could not write ${b.rows} pending vectors to ${ns.dir}: ${(e as Error).message}\n`);
        }
      }
    }
    untrackUnwritten(this);
  }

  /** Dimension of vectors already cached for this model (any role/instruction), 0 if none yet. */
  knownDim(inner: Embedder): number {
    const fp = embedderFingerprint(inner);
    for (const ns of this.namespaces.values()) if (ns.info.fingerprint === fp && ns.dim) return ns.dim;
    return 0;
  }

  // --- what the caching embedder uses (CacheBackend) ---

  namespaceFor(inner: Embedder, options: EmbedOptions): Promise<Namespace> {
    const info = namespaceInfo(inner, options.role, options.instruction);
    const key = namespaceKey(info);
    // Concurrent first calls must share one Namespace, or their pending rows would land in different buffers.
    let ns = this.opening.get(key);
    if (!ns) {
      ns = this.openNamespace(key, info);
      this.opening.set(key, ns);
      ns.catch(() => this.opening.delete(key));
    }
    return ns;
  }

  readChunk(ns: Namespace, file: string): Promise<DecodedChunk | null> {
    return this.store.readChunk(ns, file);
  }

  reindex(ns: Namespace, file: string, chunk: DecodedChunk): Promise<void> {
    return this.store.reindex(ns, file, chunk);
  }

  async refreshIfStale(ns: Namespace): Promise<boolean> {
    if (Date.now() - ns.lastRefresh < this.refreshMs) return false;
    await this.refresh(ns);
    return true;
  }

  countHits(n: number): void {
    this.counters.hits += n;
  }

  countMisses(n: number): void {
    this.counters.misses += n;
  }

  async buffer(ns: Namespace, block: Block): Promise<void> {
    addPending(ns, block);
    trackUnwritten(this);
    if (ns.pendingRows >= this.chunkRows) await this.flushNamespace(ns, false);
  }

  // --- namespaces ---

  private async openNamespace(key: string, info: NamespaceInfo): Promise<Namespace> {
    const dir = path.resolve(this.dir, `ns-${key}`);
    await fs.mkdir(dir, { recursive: true });
    const metaFile = path.join(dir, 'namespace.json');
    try {
      await fs.access(metaFile);
    } catch {
      await writeFileAtomic(metaFile, JSON.stringify(info, null, 2) + '\n');
    }
    const ns = newNamespace(dir, info);
    await this.refresh(ns);
    this.namespaces.set(key, ns);
    return ns;
  }

  /** Indexes chunk files that appeared since the last look (ours or another process's), from their `.idx`. */
  private async refresh(ns: Namespace): Promise<void> {
    ns.lastRefresh = Date.now();
    await flushOthers(this, ns.dir);
    const all = await fs.readdir(ns.dir);
    const present = new Set(all);
    for (const f of all.filter((n) => expectedHash(n) !== null && !ns.files.has(n)).sort()) {
      let ix = present.has(indexFileName(f)) ? await this.store.readIndex(ns, f) : null;
      // No usable index: a writer killed between chunk and index, a damaged index, or a pre-index cache.
      ix ??= await this.store.indexFromChunk(ns, f);
      if (!ix) continue;
      if (ns.dim !== undefined && ix.dim !== ns.dim) {
        await this.store.setAside(ns, f, `vector dimension ${ix.dim} differs from the namespace's ${ns.dim}`);
        continue;
      }
      ns.dim ??= ix.dim;
      registerChunk(ns, f, ix.digests);
    }
  }

  /** Hands pending rows (when `all`, or at least chunkRows of them) to the namespace's serial writer. */
  private async flushNamespace(ns: Namespace, all: boolean): Promise<void> {
    if (ns.pendingRows > 0 && (all || ns.pendingRows >= this.chunkRows)) {
      const block = takePending(ns);
      ns.writing.add(block);
      const write = ns.writeChain.then(() => this.store.writeBlock(ns, block));
      // One failed write (disk full) fails the call that made it, not every later flush.
      ns.writeChain = write.catch(() => undefined);
      await write;
    }
    await ns.writeChain;
  }
}
