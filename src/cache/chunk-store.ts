/**
 * The on-disk side of a namespace: reads chunk files (hash-checked the first time this process reads one),
 * their indexes (rebuilt from the chunk when missing or wrong), sets bad chunks aside, and writes new chunks
 * (chunk first, then its index), asynchronously or — from a signal handler — synchronously.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { MtebError } from '../core/errors.js';
import { writeFileAtomic, writeFileAtomicSync } from '../util/atomic-write.js';
import {
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
import { digestKey, dropChunkEntries, forgetChunk, registerChunk, type Block, type Namespace } from './namespace.js';
import type { CacheStats } from './types.js';

export class ChunkStore {
  private readonly recent = new Map<string, DecodedChunk>();
  /** Chunk files whose hash this process already checked (names are content hashes; files never change). */
  private readonly verified = new Set<string>();
  private seq = 0;

  /**
   * `counters` is the owning cache's live statistics object; `onWritten` runs after each chunk written by this
   * process is indexed (the cache uses it to stop guarding the process exit once nothing is unwritten).
   */
  constructor(
    private readonly counters: CacheStats,
    private readonly warn: (msg: string) => void,
    private readonly onWritten: () => void,
  ) {}

  async readIndex(ns: Namespace, file: string): Promise<ChunkIndex | null> {
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
  async indexFromChunk(ns: Namespace, file: string): Promise<ChunkIndex | null> {
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

  /** Reads one chunk, hashing it the first time; a bad one is set aside, forgotten, and null returned. */
  async readChunk(ns: Namespace, file: string): Promise<DecodedChunk | null> {
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

  async setAside(ns: Namespace, file: string, why: string): Promise<null> {
    const full = path.join(ns.dir, file);
    this.counters.corruptChunks++;
    this.warn(`embedding cache: ${full}: ${why}; set aside as .corrupt, its texts will be re-embedded`);
    await fs.rename(full, `${full}.corrupt`).catch(() => undefined);
    await fs.rm(path.join(ns.dir, indexFileName(file)), { force: true }).catch(() => undefined);
    return this.forget(ns, file);
  }

  private forget(ns: Namespace, file: string): null {
    forgetChunk(ns, file);
    this.recent.delete(path.join(ns.dir, file));
    return null;
  }

  /** The index disagreed with its verified chunk: trust the chunk's digests and rewrite the index. */
  async reindex(ns: Namespace, file: string, chunk: DecodedChunk): Promise<void> {
    this.warn(`embedding cache: ${path.join(ns.dir, indexFileName(file))} does not match its chunk; rebuilt`);
    dropChunkEntries(ns, ns.files.get(file)!);
    registerChunk(ns, file, chunk.digests);
    await writeFileAtomic(path.join(ns.dir, indexFileName(file)), encodeIndex({ rows: chunk.rows, dim: chunk.dim, contentHash: expectedHash(file)!, digests: chunk.digests }));
    this.counters.indexesRebuilt++;
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
  async writeBlock(ns: Namespace, b: Block): Promise<void> {
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

  /** The same write, synchronously, for signal and exit handlers (throws; the caller reports). */
  writeBlockSync(ns: Namespace, b: Block): void {
    const { file, bytes } = this.encodeBlock(ns, b);
    writeFileAtomicSync(path.join(ns.dir, file), bytes);
    writeFileAtomicSync(path.join(ns.dir, indexFileName(file)), encodeIndex({ rows: b.rows, dim: b.dim, contentHash: expectedHash(file)!, digests: b.digests }));
    ns.writing.delete(b);
    this.registerWritten(ns, file, b, bytes.length);
  }

  private registerWritten(ns: Namespace, file: string, b: Block, size: number): void {
    const full = path.join(ns.dir, file);
    this.verified.add(full);
    this.remember(full, { rows: b.rows, dim: b.dim, digests: b.digests, vectors: b.vectors, meta: new Map() });
    this.counters.chunksWritten++;
    this.counters.bytesWritten += size;
    registerChunk(ns, file, b.digests);
    for (let r = 0; r < b.rows; r++) {
      ns.unwritten.delete(digestKey(b.digests, r));
    }
    this.onWritten();
  }
}
