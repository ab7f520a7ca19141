import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { EmbedOptions, Embedder } from '../core/embedder.js';
import { MtebError } from '../core/errors.js';
import type { Matrix } from '../core/matrix.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import { DIGEST_BYTES, chunkFileName, decodeChunk, encodeChunk, expectedHash, sha256, type DecodedChunk } from './chunk-file.js';
import { embedderFingerprint, namespaceInfo, namespaceKey, textDigest, type NamespaceInfo } from './keys.js';

export interface CacheStats {
  /** Texts answered from the cache. */
  hits: number;
  /** Texts the wrapped embedder had to embed (after de-duplication). */
  misses: number;
  chunksWritten: number;
  chunksRead: number;
  /** Chunk files found truncated/altered/unreadable; moved aside and their texts re-embedded. */
  corruptChunks: number;
  bytesWritten: number;
  bytesRead: number;
}

export interface EmbeddingCacheOptions {
  /** Texts per chunk file = the unit of crash recovery (default 1024). */
  chunkRows?: number;
  /** Where warnings go (default stderr). */
  warn?: (msg: string) => void;
}

interface Namespace {
  dir: string;
  info: NamespaceInfo;
  /** digest hex -> (file name, row). */
  byDigest: Map<string, { file: string; row: number }>;
  files: Set<string>;
  dim?: number;
}

/**
 * A shared, crash-safe embedding store: `<dir>/ns-<key>/` per (model fingerprint, role, instruction), holding
 * immutable chunk files keyed by sha256(text). Any number of processes may read and add chunks at once (each
 * file has a unique name and appears atomically); a process picks up others' chunks on its next call.
 */
export class EmbeddingCache {
  private readonly namespaces = new Map<string, Namespace>();
  private readonly recent = new Map<string, DecodedChunk>();
  /** Chunk files whose hash this process already checked (names are content hashes; files never change). */
  private readonly verified = new Set<string>();
  private seq = 0;
  private readonly counters: CacheStats = { hits: 0, misses: 0, chunksWritten: 0, chunksRead: 0, corruptChunks: 0, bytesWritten: 0, bytesRead: 0 };
  readonly chunkRows: number;
  private readonly warn: (msg: string) => void;

  constructor(readonly dir: string, opts: EmbeddingCacheOptions = {}) {
    this.chunkRows = Math.max(1, opts.chunkRows ?? 1024);
    this.warn = opts.warn ?? ((m) => process.stderr.write(`warning: ${m}\n`));
  }

  stats(): CacheStats {
    return { ...this.counters };
  }

  /** An Embedder returning exactly the inner embedder's vectors, embedding each (text, namespace) once ever. */
  wrap(inner: Embedder): Embedder {
    const cache = this;
    const wrapped: Embedder = {
      get name() {
        return inner.name;
      },
      get revision() {
        return inner.revision;
      },
      // A remote model learns its dimension from its first response, which a fully cached run never sends.
      get dimension() {
        return inner.dimension || cache.knownDim(inner);
      },
      get fingerprint() {
        return inner.fingerprint;
      },
      get maxBatchSize() {
        return inner.maxBatchSize;
      },
      embed: (texts, options) => cache.embedThrough(inner, texts, options),
      meta: inner.meta ? () => inner.meta!() : undefined,
      close: inner.close ? () => inner.close!() : undefined,
    };
    return wrapped;
  }

  /** Dimension of vectors already cached for this model (any role/instruction), 0 if none yet. */
  knownDim(inner: Embedder): number {
    const fp = embedderFingerprint(inner);
    for (const ns of this.namespaces.values()) if (ns.info.fingerprint === fp && ns.dim) return ns.dim;
    return 0;
  }

  private async namespace(inner: Embedder, options: EmbedOptions): Promise<Namespace> {
    const info = namespaceInfo(inner, options.role, options.instruction);
    const key = namespaceKey(info);
    let ns = this.namespaces.get(key);
    if (!ns) {
      const dir = path.join(this.dir, `ns-${key}`);
      await fs.mkdir(dir, { recursive: true });
      const metaFile = path.join(dir, 'namespace.json');
      try {
        await fs.access(metaFile);
      } catch {
        await writeFileAtomic(metaFile, JSON.stringify(info, null, 2) + '\n');
      }
      ns = { dir, info, byDigest: new Map(), files: new Set() };
      this.namespaces.set(key, ns);
    }
    await this.refresh(ns);
    return ns;
  }

  /** Indexes chunk files that appeared since the last look (ours or another process's). */
  private async refresh(ns: Namespace): Promise<void> {
    const names = (await fs.readdir(ns.dir)).filter((f) => expectedHash(f) !== null && !ns.files.has(f)).sort();
    for (const f of names) {
      const chunk = await this.readChunk(ns, f);
      if (!chunk) continue;
      ns.files.add(f);
      ns.dim ??= chunk.dim;
      for (let r = 0; r < chunk.rows; r++) {
        const hex = Buffer.from(chunk.digests.buffer, chunk.digests.byteOffset + r * DIGEST_BYTES, DIGEST_BYTES).toString('hex');
        if (!ns.byDigest.has(hex)) ns.byDigest.set(hex, { file: f, row: r });
      }
    }
  }

  /** Reads and verifies one chunk; a bad one is renamed `*.corrupt`, forgotten, and null returned. */
  private async readChunk(ns: Namespace, file: string): Promise<DecodedChunk | null> {
    const hit = this.recent.get(path.join(ns.dir, file));
    if (hit) return hit;
    const full = path.join(ns.dir, file);
    let bytes: Buffer;
    try {
      bytes = await fs.readFile(full);
    } catch (e) {
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
    if (!chunk) {
      this.counters.corruptChunks++;
      this.warn(`embedding cache: ${full}: ${why}; set aside as .corrupt, its texts will be re-embedded`);
      await fs.rename(full, `${full}.corrupt`).catch(() => undefined);
      return this.forget(ns, file);
    }
    this.counters.chunksRead++;
    this.verified.add(full);
    this.recent.set(full, chunk);
    if (this.recent.size > 4) this.recent.delete(this.recent.keys().next().value!);
    return chunk;
  }

  private forget(ns: Namespace, file: string): null {
    if (ns.files.delete(file)) for (const [k, v] of ns.byDigest) if (v.file === file) ns.byDigest.delete(k);
    return null;
  }

  private async embedThrough(inner: Embedder, texts: string[], options: EmbedOptions): Promise<Matrix> {
    const ns = await this.namespace(inner, options);
    const n = texts.length;
    const hexes = texts.map((t) => textDigest(t).toString('hex'));
    let dim = ns.dim ?? inner.dimension;
    let out: Float32Array | undefined = dim ? new Float32Array(n * dim) : undefined;
    const filled = new Uint8Array(n);

    // Hits, grouped by file so each chunk is read once per call.
    const byFile = new Map<string, number[]>();
    hexes.forEach((h, i) => {
      const loc = ns.byDigest.get(h);
      if (loc) (byFile.get(loc.file) ?? byFile.set(loc.file, []).get(loc.file)!).push(i);
    });
    for (const [file, idx] of byFile) {
      const chunk = await this.readChunk(ns, file);
      if (!chunk) continue;
      if (!out || chunk.dim !== dim) {
        dim = chunk.dim;
        out = new Float32Array(n * dim);
      }
      for (const i of idx) {
        const r = ns.byDigest.get(hexes[i])!.row;
        out.set(chunk.vectors.subarray(r * dim, (r + 1) * dim), i * dim);
        filled[i] = 1;
      }
    }

    // Misses, de-duplicated, embedded and persisted chunk by chunk.
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
      if (!out || m.dim !== dim) {
        if (out && filled.some((f) => f)) throw new MtebError('E_EMBEDDING_DIM', `${inner.name} returned dimension ${m.dim} but cached vectors have ${dim}`);
        dim = m.dim;
        out = new Float32Array(n * dim);
      }
      for (let v = 0; v < m.data.length; v++) {
        if (!Number.isFinite(m.data[v])) {
          throw new MtebError('E_EMBEDDING_NAN', `${inner.name} returned a non-finite value for text #${part[Math.floor(v / dim)]}; not cached`);
        }
      }
      const digests = new Uint8Array(part.length * DIGEST_BYTES);
      part.forEach((i, r) => digests.set(Buffer.from(hexes[i], 'hex'), r * DIGEST_BYTES));
      await this.writeChunk(ns, digests, m.data, dim);
      part.forEach((i, r) => {
        out!.set(m.data.subarray(r * dim, (r + 1) * dim), i * dim);
        filled[i] = 1;
      });
      this.counters.misses += part.length;
      done += part.length;
      options.onProgress?.(done);
    }
    // Later duplicates of a text copy its first occurrence.
    for (let i = 0; i < n; i++) {
      if (filled[i]) continue;
      const j = firstOf.get(hexes[i])!;
      out!.set(out!.subarray(j * dim, (j + 1) * dim), i * dim);
    }
    return { rows: n, dim, data: out ?? new Float32Array(0) };
  }

  private async writeChunk(ns: Namespace, digests: Uint8Array, vectors: Float32Array, dim: number): Promise<void> {
    const bytes = encodeChunk(digests, vectors, dim, {
      fingerprint: ns.info.fingerprint,
      role: ns.info.role,
      instruction: ns.info.instruction ?? '',
      dim: String(dim),
    });
    const file = chunkFileName(bytes, this.seq++);
    await writeFileAtomic(path.join(ns.dir, file), bytes);
    this.verified.add(path.join(ns.dir, file));
    this.counters.chunksWritten++;
    this.counters.bytesWritten += bytes.length;
    ns.files.add(file);
    ns.dim ??= dim;
    for (let r = 0; r < digests.length / DIGEST_BYTES; r++) {
      const hex = Buffer.from(digests.buffer, digests.byteOffset + r * DIGEST_BYTES, DIGEST_BYTES).toString('hex');
      if (!ns.byDigest.has(hex)) ns.byDigest.set(hex, { file, row: r });
    }
  }
}
