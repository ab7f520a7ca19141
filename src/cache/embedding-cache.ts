import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { EmbedOptions, Embedder } from '../core/embedder.js';
import { MtebError } from '../core/errors.js';
import type { Matrix } from '../core/matrix.js';
import { writeFileAtomic, writeFileAtomicSync } from '../util/atomic-write.js';
import { wrapEmbedder } from '../core/wrap-embedder.js';
import {
  DIGEST_BYTES,
  chunkFileName,
  decodeChunk,
  decodeIndex,
  encodeChunk,
  encodeIndex,
  expectedHash,
  indexFileName,
  sha256,
  type ChunkIndex,
  type DecodedChunk,
} from './chunk-file.js';
import { embedderFingerprint, namespaceInfo, namespaceKey, textDigest, type NamespaceInfo } from './keys.js';
import { flushOthers, trackUnwritten, untrackUnwritten } from './exit-flush.js';

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

/** Rows per chunk are below this, so (file id, row) packs into one number. */
const ROW_SPAN = 2 ** 22;

function digestKey(digests: Uint8Array, row: number): string {
  return Buffer.from(digests.buffer, digests.byteOffset + row * DIGEST_BYTES, DIGEST_BYTES).toString('latin1');
}

function dropFile(ns: Namespace, id: number): void {
  for (const [k, v] of ns.byDigest) if (Math.floor(v / ROW_SPAN) === id) ns.byDigest.delete(k);
}

/** An embedder answered through the cache; `flush()` writes pending vectors now (e.g. when a task ends). */
export type CachingEmbedder = Embedder & { flush(): Promise<void>; close(): Promise<void> };

interface Block {
  digests: Uint8Array;
  vectors: Float32Array;
  rows: number;
  dim: number;
}

interface Namespace {
  dir: string;
  info: NamespaceInfo;
  /**
   * Text digest (32 bytes as a latin1 string: half the memory of hex, ~77 B per entry with the Map) ->
   * fileId * ROW_SPAN + row, from chunk indexes. MSMARCO's 8.8M passages take ~0.7 GB here.
   */
  byDigest: Map<string, number>;
  /** Chunk file name -> id (ids are never reused within a process, so a forgotten file's entries stay dead). */
  files: Map<string, number>;
  fileNames: string[];
  dim?: number;
  /** Vectors embedded by this process and not yet in a renamed chunk file: pending or being written. */
  unwritten: Map<string, Float32Array>;
  pending: Block[];
  pendingRows: number;
  /** Blocks handed to an async writer; a synchronous flush on a signal writes them again under a new name. */
  writing: Set<Block>;
  writeChain: Promise<void>;
  lastRefresh: number;
}

/**
 * A shared, crash-safe embedding store: `<dir>/ns-<key>/` per (model fingerprint, role, instruction), holding
 * immutable chunk files keyed by sha256(text), each with a small index. Any number of processes may read and
 * add chunks at once (each file has a unique name and appears atomically); a process picks up others' chunks
 * when it meets texts it does not know. Opening reads only the indexes; a chunk's content hash is checked the
 * first time this process reads its vectors.
 */
export class EmbeddingCache {
  private readonly namespaces = new Map<string, Namespace>();
  private readonly opening = new Map<string, Promise<Namespace>>();
  private readonly recent = new Map<string, DecodedChunk>();
  /** Chunk files whose hash this process already checked (names are content hashes; files never change). */
  private readonly verified = new Set<string>();
  private seq = 0;
  private readonly counters: CacheStats = {
    hits: 0,
    misses: 0,
    chunksWritten: 0,
    chunksRead: 0,
    corruptChunks: 0,
    indexesRebuilt: 0,
    bytesWritten: 0,
    bytesRead: 0,
  };
  readonly chunkRows: number;
  private readonly refreshMs: number;
  private readonly warn: (msg: string) => void;

  constructor(readonly dir: string, opts: EmbeddingCacheOptions = {}) {
    this.chunkRows = Math.min(ROW_SPAN, Math.max(1, opts.chunkRows ?? 4096));
    this.refreshMs = Math.max(0, opts.refreshMs ?? 1000);
    this.warn = opts.warn ?? ((m) => process.stderr.write(`warning: ${m}\n`));
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
    const cache = this;
    return wrapEmbedder(inner, {
      // A remote model learns its dimension from its first response, which a fully cached run never sends.
      get dimension() {
        return inner.dimension || cache.knownDim(inner);
      },
      embed: (texts: string[], options: EmbedOptions) => cache.embedThrough(inner, texts, options),
      flush: () => cache.flush(),
      close: async () => {
        await cache.flush();
        await inner.close?.();
      },
    });
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
      if (ns.pendingRows) blocks.push(this.takePending(ns));
      for (const b of blocks) {
        try {
          const { file, bytes } = this.encodeBlock(ns, b);
          writeFileAtomicSync(path.join(ns.dir, file), bytes);
          writeFileAtomicSync(path.join(ns.dir, indexFileName(file)), encodeIndex({ rows: b.rows, dim: b.dim, contentHash: expectedHash(file)!, digests: b.digests }));
          ns.writing.delete(b);
          this.registerWritten(ns, file, b, bytes.length);
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

  private namespace(inner: Embedder, options: EmbedOptions): Promise<Namespace> {
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

  private async openNamespace(key: string, info: NamespaceInfo): Promise<Namespace> {
    const dir = path.resolve(this.dir, `ns-${key}`);
    await fs.mkdir(dir, { recursive: true });
    const metaFile = path.join(dir, 'namespace.json');
    try {
      await fs.access(metaFile);
    } catch {
      await writeFileAtomic(metaFile, JSON.stringify(info, null, 2) + '\n');
    }
    const ns: Namespace = {
      dir,
      info,
      byDigest: new Map(),
      files: new Map(),
      fileNames: [],
      unwritten: new Map(),
      pending: [],
      pendingRows: 0,
      writing: new Set(),
      writeChain: Promise.resolve(),
      lastRefresh: -Infinity,
    };
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
      let ix = present.has(indexFileName(f)) ? await this.readIndex(ns, f) : null;
      // No usable index: a writer killed between chunk and index, a damaged index, or a pre-index cache.
      ix ??= await this.indexFromChunk(ns, f);
      if (!ix) continue;
      if (ns.dim !== undefined && ix.dim !== ns.dim) {
        await this.setAside(ns, f, `vector dimension ${ix.dim} differs from the namespace's ${ns.dim}`);
        continue;
      }
      ns.dim ??= ix.dim;
      this.register(ns, f, ix.digests);
    }
  }

  private async readIndex(ns: Namespace, file: string): Promise<ChunkIndex | null> {
    const full = path.join(ns.dir, indexFileName(file));
    try {
      const ix = decodeIndex(await fs.readFile(full));
      if (ix.contentHash !== expectedHash(file)) throw new Error('it describes another chunk');
      return ix;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      this.warn(`embedding cache: ${full}: unusable index (${(e as Error).message}); rebuilt from its chunk`);
      return null;
    }
  }

  /** Reads and verifies a chunk, then (re)writes its index; null if the chunk is bad (set aside) or gone. */
  private async indexFromChunk(ns: Namespace, file: string): Promise<ChunkIndex | null> {
    const chunk = await this.readChunk(ns, file);
    if (!chunk) return null;
    const ix: ChunkIndex = { rows: chunk.rows, dim: chunk.dim, contentHash: expectedHash(file)!, digests: chunk.digests };
    try {
      await writeFileAtomic(path.join(ns.dir, indexFileName(file)), encodeIndex(ix));
      this.counters.indexesRebuilt++;
    } catch (e) {
      // A read-only shared cache still works; it just rebuilds in memory next time.
      this.warn(`embedding cache: cannot write index for ${file}: ${(e as Error).message}`);
    }
    return ix;
  }

  private register(ns: Namespace, file: string, digests: Uint8Array): void {
    let id = ns.files.get(file);
    if (id === undefined) {
      id = ns.fileNames.push(file) - 1;
      ns.files.set(file, id);
    }
    for (let r = 0; r < digests.length / DIGEST_BYTES; r++) {
      const key = digestKey(digests, r);
      if (!ns.byDigest.has(key)) ns.byDigest.set(key, id * ROW_SPAN + r);
    }
  }

  /** Reads one chunk, hashing it the first time; a bad one is set aside, forgotten, and null returned. */
  private async readChunk(ns: Namespace, file: string): Promise<DecodedChunk | null> {
    const full = path.join(ns.dir, file);
    const hit = this.recent.get(full);
    if (hit) return hit;
    let bytes: Buffer;
    try {
      bytes = await fs.readFile(full);
    } catch (e) {
      // Removed since it was indexed (prune, another process's verify --fix): its texts are misses now.
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return this.forget(ns, file);
      throw new MtebError('E_CACHE', `cannot read cache chunk: ${(e as Error).message}`, { file: full });
    }
    this.counters.bytesRead += bytes.length;
    let chunk: DecodedChunk | null = null;
    let why = '';
    if (!this.verified.has(full) && sha256(bytes) !== expectedHash(file)) why = 'content hash does not match its name (truncated or altered)';
    else {
      try {
        chunk = decodeChunk(bytes);
        if (ns.dim !== undefined && chunk.dim !== ns.dim) {
          why = `vector dimension ${chunk.dim} differs from the namespace's ${ns.dim}`;
          chunk = null;
        }
      } catch (e) {
        why = `not a readable Arrow chunk (${(e as Error).message})`;
      }
    }
    if (!chunk) return this.setAside(ns, file, why);
    this.counters.chunksRead++;
    this.verified.add(full);
    this.remember(full, chunk);
    return chunk;
  }

  private remember(full: string, chunk: DecodedChunk): void {
    this.recent.set(full, chunk);
    if (this.recent.size > 4) this.recent.delete(this.recent.keys().next().value!);
  }

  private async setAside(ns: Namespace, file: string, why: string): Promise<null> {
    const full = path.join(ns.dir, file);
    this.counters.corruptChunks++;
    this.warn(`embedding cache: ${full}: ${why}; set aside as .corrupt, its texts will be re-embedded`);
    await fs.rename(full, `${full}.corrupt`).catch(() => undefined);
    await fs.rm(path.join(ns.dir, indexFileName(file)), { force: true }).catch(() => undefined);
    return this.forget(ns, file);
  }

  private forget(ns: Namespace, file: string): null {
    const id = ns.files.get(file);
    ns.files.delete(file);
    this.recent.delete(path.join(ns.dir, file));
    if (id !== undefined) dropFile(ns, id);
    return null;
  }

  private async embedThrough(inner: Embedder, texts: string[], options: EmbedOptions): Promise<Matrix> {
    const ns = await this.namespace(inner, options);
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
          const loc = ns.byDigest.get(hexes[i]);
          if (loc !== undefined) {
            const file = ns.fileNames[Math.floor(loc / ROW_SPAN)];
            (byFile.get(file) ?? byFile.set(file, []).get(file)!).push(i);
          }
        }
      }
      for (const [file, idx] of byFile) {
        const chunk = await this.readChunk(ns, file);
        if (!chunk) continue;
        // The index promised each text at some row; only the verified chunk's own digest column is trusted.
        // Returns false only when the index was wrong about this chunk (a concurrent forget is not an error).
        const take = (i: number): boolean => {
          const loc = ns.byDigest.get(hexes[i]);
          if (loc === undefined || ns.fileNames[Math.floor(loc / ROW_SPAN)] !== file) return true;
          const r = loc % ROW_SPAN;
          if (r >= chunk.rows || !digests[i].equals(chunk.digests.subarray(r * DIGEST_BYTES, (r + 1) * DIGEST_BYTES))) return false;
          setRow(i, chunk.vectors.subarray(r * chunk.dim, (r + 1) * chunk.dim));
          return true;
        };
        const stale = idx.filter((i) => !take(i));
        if (stale.length) {
          await this.reindex(ns, file, chunk);
          for (const i of stale) take(i);
        }
      }
    };
    await fromFiles();
    if (!filled.every((f) => f) && Date.now() - ns.lastRefresh >= this.refreshMs) {
      await this.refresh(ns);
      await fromFiles();
    }

    // Misses, de-duplicated, embedded in calls of at most chunkRows texts and buffered for the next chunk file.
    const firstOf = new Map<string, number>();
    const todo: number[] = [];
    for (let i = 0; i < n; i++) {
      if (filled[i] || firstOf.has(hexes[i])) continue;
      firstOf.set(hexes[i], i);
      todo.push(i);
    }
    for (let i = 0; i < n; i++) this.counters.hits += filled[i];
    let done = n - todo.length;
    options.onProgress?.(done);
    for (let s = 0; s < todo.length; s += this.chunkRows) {
      const part = todo.slice(s, s + this.chunkRows);
      const m = await inner.embed(part.map((i) => texts[i]), { ...options, onProgress: (d) => options.onProgress?.(done + d) });
      if (m.rows !== part.length) throw new MtebError('E_EMBEDDING_MISSING', `${inner.name} returned ${m.rows} vectors for ${part.length} texts`);
      if (ns.dim !== undefined && m.dim !== ns.dim) throw new MtebError('E_EMBEDDING_DIM', `${inner.name} returned dimension ${m.dim} but cached vectors have ${ns.dim}`);
      for (let v = 0; v < m.rows * m.dim; v++) {
        if (!Number.isFinite(m.data[v])) {
          throw new MtebError('E_EMBEDDING_NAN', `${inner.name} returned a non-finite value for text #${part[Math.floor(v / m.dim)]}; not cached`);
        }
      }
      const block: Block = { digests: new Uint8Array(part.length * DIGEST_BYTES), vectors: m.data.slice(0, m.rows * m.dim), rows: part.length, dim: m.dim };
      part.forEach((i, r) => {
        block.digests.set(digests[i], r * DIGEST_BYTES);
        const v = block.vectors.subarray(r * m.dim, (r + 1) * m.dim);
        ns.unwritten.set(hexes[i], v);
        setRow(i, v);
      });
      this.addPending(ns, block);
      this.counters.misses += part.length;
      done += part.length;
      options.onProgress?.(done);
      if (ns.pendingRows >= this.chunkRows) await this.flushNamespace(ns, false);
    }
    // Later duplicates of a text copy its first occurrence.
    for (let i = 0; i < n; i++) {
      if (filled[i]) continue;
      const j = firstOf.get(hexes[i])!;
      out!.set(out!.subarray(j * dim, (j + 1) * dim), i * dim);
    }
    return { rows: n, dim, data: out ?? new Float32Array(0) };
  }

  /** The index disagreed with its verified chunk: trust the chunk's digests and rewrite the index. */
  private async reindex(ns: Namespace, file: string, chunk: DecodedChunk): Promise<void> {
    this.warn(`embedding cache: ${path.join(ns.dir, indexFileName(file))} does not match its chunk; rebuilt`);
    dropFile(ns, ns.files.get(file)!);
    this.register(ns, file, chunk.digests);
    await writeFileAtomic(path.join(ns.dir, indexFileName(file)), encodeIndex({ rows: chunk.rows, dim: chunk.dim, contentHash: expectedHash(file)!, digests: chunk.digests }));
    this.counters.indexesRebuilt++;
  }

  private addPending(ns: Namespace, block: Block): void {
    ns.pending.push(block);
    ns.pendingRows += block.rows;
    ns.dim ??= block.dim;
    trackUnwritten(this);
  }

  private takePending(ns: Namespace): Block {
    const blocks = ns.pending;
    ns.pending = [];
    ns.pendingRows = 0;
    if (blocks.length === 1) return blocks[0];
    const rows = blocks.reduce((a, b) => a + b.rows, 0);
    const dim = blocks[0].dim;
    const merged: Block = { digests: new Uint8Array(rows * DIGEST_BYTES), vectors: new Float32Array(rows * dim), rows, dim };
    let r = 0;
    for (const b of blocks) {
      merged.digests.set(b.digests, r * DIGEST_BYTES);
      merged.vectors.set(b.vectors, r * dim);
      r += b.rows;
    }
    return merged;
  }

  /** Hands pending rows (when `all`, or at least chunkRows of them) to the namespace's serial writer. */
  private async flushNamespace(ns: Namespace, all: boolean): Promise<void> {
    if (ns.pendingRows > 0 && (all || ns.pendingRows >= this.chunkRows)) {
      const block = this.takePending(ns);
      ns.writing.add(block);
      const write = ns.writeChain.then(() => this.writeBlock(ns, block));
      // One failed write (disk full) fails the call that made it, not every later flush.
      ns.writeChain = write.catch(() => undefined);
      await write;
    }
    await ns.writeChain;
  }

  private encodeBlock(ns: Namespace, b: Block): { file: string; bytes: Uint8Array } {
    const bytes = encodeChunk(b.digests, b.vectors, b.dim, {
      fingerprint: ns.info.fingerprint,
      role: ns.info.role,
      instruction: ns.info.instruction ?? '',
      dim: String(b.dim),
    });
    return { file: chunkFileName(bytes, this.seq++), bytes };
  }

  /** Chunk first, then its index: a kill in between leaves a chunk that the next open re-indexes. */
  private async writeBlock(ns: Namespace, b: Block): Promise<void> {
    if (!ns.writing.has(b)) return; // already written by a synchronous flush
    const { file, bytes } = this.encodeBlock(ns, b);
    try {
      await writeFileAtomic(path.join(ns.dir, file), bytes);
      await writeFileAtomic(path.join(ns.dir, indexFileName(file)), encodeIndex({ rows: b.rows, dim: b.dim, contentHash: expectedHash(file)!, digests: b.digests }));
    } catch (e) {
      ns.writing.delete(b);
      throw new MtebError('E_CACHE', `cannot write cache chunk: ${(e as Error).message}`, { file: path.join(ns.dir, file) });
    }
    if (!ns.writing.delete(b)) return;
    this.registerWritten(ns, file, b, bytes.length);
  }

  private registerWritten(ns: Namespace, file: string, b: Block, size: number): void {
    const full = path.join(ns.dir, file);
    this.verified.add(full);
    this.remember(full, { rows: b.rows, dim: b.dim, digests: b.digests, vectors: b.vectors, meta: new Map() });
    this.counters.chunksWritten++;
    this.counters.bytesWritten += size;
    this.register(ns, file, b.digests);
    for (let r = 0; r < b.rows; r++) {
      ns.unwritten.delete(digestKey(b.digests, r));
    }
    if (this.pendingRows() === 0) untrackUnwritten(this);
  }
}
