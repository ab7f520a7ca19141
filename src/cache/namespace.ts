/**
 * The in-memory state of one cache namespace (model fingerprint + role + instruction): which chunk file and row
 * holds each text digest, and the vectors embedded by this process that are not on disk yet. Pure bookkeeping:
 * no file is read or written here (chunk-store.ts does that).
 */
import { DIGEST_BYTES } from './chunk-file.js';
import type { NamespaceInfo } from './keys.js';

/** Rows per chunk are below this, so (file id, row) packs into one number. */
export const ROW_SPAN = 2 ** 22;

/** Vectors of consecutive rows with their text digests: what one chunk file holds, or will. */
export interface Block {
  digests: Uint8Array;
  vectors: Float32Array;
  rows: number;
  dim: number;
}

export interface Namespace {
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

export function newNamespace(dir: string, info: NamespaceInfo): Namespace {
  return {
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
}

/** The map key of row `row` of a digest column. */
export function digestKey(digests: Uint8Array, row: number): string {
  return Buffer.from(digests.buffer, digests.byteOffset + row * DIGEST_BYTES, DIGEST_BYTES).toString('latin1');
}

/** Indexes the texts of a chunk file; a text already indexed keeps its first location. */
export function registerChunk(ns: Namespace, file: string, digests: Uint8Array): void {
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

/** Drops every text indexed at chunk file `id`. */
export function dropChunkEntries(ns: Namespace, id: number): void {
  for (const [k, v] of ns.byDigest) if (Math.floor(v / ROW_SPAN) === id) ns.byDigest.delete(k);
}

/** Forgets a chunk file (removed or set aside): its texts become misses. */
export function forgetChunk(ns: Namespace, file: string): void {
  const id = ns.files.get(file);
  ns.files.delete(file);
  if (id !== undefined) dropChunkEntries(ns, id);
}

/** Where the index says a text is: its chunk file and row, or undefined. */
export function locate(ns: Namespace, key: string): { file: string; row: number } | undefined {
  const loc = ns.byDigest.get(key);
  return loc === undefined ? undefined : { file: ns.fileNames[Math.floor(loc / ROW_SPAN)], row: loc % ROW_SPAN };
}

/** Adds freshly embedded vectors to the write buffer (they are answered from memory until written). */
export function addPending(ns: Namespace, block: Block): void {
  ns.pending.push(block);
  ns.pendingRows += block.rows;
  ns.dim ??= block.dim;
}

/** Empties the write buffer into one block. */
export function takePending(ns: Namespace): Block {
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
