import { createHash } from 'node:crypto';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import os from 'node:os';
import { MtebError } from '../../core/errors.js';

/**
 * One corpus chunk's per-query top-k list, written by the shard that searched the chunk
 * (`chunk-<c>-of-<N>.topk`, next to its `.done` marker) and read by `merge`. Binary, little-endian, every
 * section 4-byte aligned:
 *
 *   "MTEBTOPK" | u32 header bytes H | header JSON (UTF-8, space-padded to 4) |
 *   HEAD: u32 count[queries] | id table of the head | entries of ranks [0, head) of every query |
 *   TAIL: id table of the tail | entries of ranks [head, count) of every query |
 *   sha256 of magic..HEAD | sha256 of TAIL
 *
 * An entry is a pair (u32 index into the ids, f32 canonical score); per query the entries are in rank order
 * (canonical score desc, doc id desc by UTF-8 bytes). An id table is u32 byte offsets[n + 1] then the ids' UTF-8
 * bytes (space-padded to 4); ids are numbered in first use, the head's first, so the head needs no tail id.
 *
 * Why a head: `merge` takes k entries per query from all chunks together, about k / chunks from each, so it reads
 * only the heads (`headRows(k, of)` ranks per query: k / of plus a margin of 4 standard deviations of a
 * binomial share, + 8) and a chunk's tail only when some query takes more than its head from that chunk. The bytes
 * merge reads then stay ~queries × k × 8 whatever the chunk count (all of every list before: chunks × queries × k),
 * and the ids it decodes are those it uses, not the chunk's whole id table (which grows with the corpus). Each
 * part has its own sha256, checked when that part is read, and the file size must be exact, so a truncated or
 * altered part is an error, never a silently shorter list. The same search always gives the same bytes (no times,
 * hosts or paths inside).
 */
export const CHUNK_LIST_FORMAT = 'mteb-ts.topk/2';

/** What the shard states about the search it ran (the encoder adds the layout fields). */
export interface ChunkListInfo {
  chunk: number;
  of: number;
  /** Corpus rows of this chunk. */
  rows: number;
  k: number;
  similarity: string;
  queries: number;
  /** sha256 of the evaluated query ids (JSON array): merge checks it is scoring the same queries. */
  query_ids_sha256: string;
  /** sha256 of the query vectors' float32 bytes: every chunk must have been searched with the same vectors. */
  query_vectors_sha256: string;
  /** The search backend's result-file facts (exact: `{ search, search_scores }`). */
  meta: Record<string, unknown>;
  /**
   * The whole corpus the shard loaded: its rows (documents) and its data files' fingerprint
   * (src/data/corpus-fingerprint.ts), so merge can check the lists against the files without reading them; and
   * the sha256 of its ids in corpus order (corpusIdsDigest), which every list must share: the fingerprint reads only
   * the files' ends, the shards read every row, so shards run on data that differs inside a file still disagree.
   */
  corpus?: { rows: number; fingerprint: string; ids_sha256?: string };
}

export interface ChunkListHeader extends ChunkListInfo {
  format: typeof CHUNK_LIST_FORMAT;
  /** Ranks per query in the head. */
  head: number;
  /** Ids numbered in the head's table; the tail's follow. */
  head_ids: number;
  tail_ids: number;
  head_bytes: number;
  tail_bytes: number;
}

/** Entries of one part: refs[i] / scores[i] for i in [starts[q], starts[q + 1]). */
export interface ListPart {
  starts: Uint32Array;
  refs: Uint32Array;
  scores: Float32Array;
}

export interface ChunkList {
  file: string;
  header: ChunkListHeader;
  /** counts[q]: entries of query q (head and tail). */
  counts: Uint32Array;
  head: ListPart;
  /** The tail, read (and its digest checked) on first use. */
  tail(): ListPart;
  /** Doc id of entry ref (decoded on first use; a tail id reads the tail). */
  id(ref: number): string;
  /** Number of distinct doc ids the list uses. */
  idCount: number;
  /** Bytes read from the file so far, of `size`. */
  bytesRead(): number;
  size: number;
  /** Whether the tail has been read. */
  tailLoaded(): boolean;
}

const MAGIC = Buffer.from('MTEBTOPK', 'latin1');

/** Ranks per query kept in the head of a chunk's list when the corpus is cut into `of` chunks. */
export function headRows(k: number, of: number): number {
  const share = k / Math.max(1, of);
  return Math.min(k, Math.ceil(share + 4 * Math.sqrt(share)) + 8);
}

function checkLittleEndian(): void {
  // The typed arrays below are written and read in the platform's byte order; the format says little-endian.
  if (os.endianness() !== 'LE') throw new MtebError('E_INTERNAL', 'chunk top-k lists are read and written on little-endian machines only');
}

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * sha256 of a corpus's ids in order, as JSON arrays of 65,536 ids fed one after another (unambiguous whatever the
 * ids hold; one hash update per slice keeps millions of ids at a fraction of a second).
 */
export function corpusIdsDigest(ids: readonly string[]): string {
  const h = createHash('sha256');
  for (let i = 0; i < ids.length; i += 65536) h.update(JSON.stringify(ids.slice(i, i + 65536)));
  return h.digest('hex');
}

/** UTF-8 bytes of `text`, spaces appended to a multiple of 4 (JSON ignores trailing white space). */
function padded(b: Buffer): Buffer {
  const pad = (4 - (b.length % 4)) % 4;
  return pad ? Buffer.concat([b, Buffer.from(' '.repeat(pad))]) : b;
}

const u32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n);
  return b;
};
const bytesOf = (a: Uint32Array | Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

function idTable(ids: string[]): Buffer {
  const parts = ids.map((id) => Buffer.from(id, 'utf8'));
  const offsets = new Uint32Array(ids.length + 1);
  for (let i = 0; i < parts.length; i++) offsets[i + 1] = offsets[i] + parts[i].length;
  return Buffer.concat([bytesOf(offsets), padded(Buffer.concat(parts))]);
}

/** Serialises one chunk's search result (ids[q] / scores[q] in rank order, as SearchResult gives them). */
export function encodeChunkList(info: ChunkListInfo, ids: string[][], scores: ArrayLike<number>[]): Buffer {
  checkLittleEndian();
  const head = headRows(info.k, info.of);
  const index = new Map<string, number>();
  const tables: string[][] = [[], []];
  const parts = [0, 1].map((part) => {
    let total = 0;
    for (const l of ids) total += part === 0 ? Math.min(head, l.length) : Math.max(0, l.length - head);
    const pairs = new Uint32Array(2 * total);
    const f = new Float32Array(pairs.buffer);
    let o = 0;
    ids.forEach((list, q) => {
      const [a, b] = part === 0 ? [0, Math.min(head, list.length)] : [head, list.length];
      for (let r = a; r < b; r++) {
        let i = index.get(list[r]);
        if (i === undefined) {
          i = index.size;
          index.set(list[r], i);
          tables[part].push(list[r]);
        }
        pairs[o] = i;
        f[o + 1] = scores[q][r];
        o += 2;
      }
    });
    return pairs;
  });
  const counts = Uint32Array.from(ids, (l) => l.length);
  const headPart = Buffer.concat([bytesOf(counts), idTable(tables[0]), bytesOf(parts[0])]);
  const tailPart = Buffer.concat([idTable(tables[1]), bytesOf(parts[1])]);
  const header: ChunkListHeader = {
    format: CHUNK_LIST_FORMAT,
    ...info,
    head,
    head_ids: tables[0].length,
    tail_ids: tables[1].length,
    head_bytes: headPart.length,
    tail_bytes: tailPart.length,
  };
  const h = padded(Buffer.from(JSON.stringify(header), 'utf8'));
  const front = Buffer.concat([MAGIC, u32(h.length), h, headPart]);
  return Buffer.concat([front, tailPart, createHash('sha256').update(front).digest(), createHash('sha256').update(tailPart).digest()]);
}

/** u32 / f32 arrays over `buf` from byte `offset` (a fresh buffer from readSync is 8-aligned; offsets are 4-aligned). */
const u32s = (buf: Buffer, offset: number, n: number) => new Uint32Array(buf.buffer, buf.byteOffset + offset, n);

/** Reads an id table at `offset` of `buf`: its offsets and bytes, and where it ends. */
function readIdTable(buf: Buffer, offset: number, n: number, bad: (why: string) => Error): { offsets: Uint32Array; bytes: Buffer; end: number } {
  if (offset + 4 * (n + 1) > buf.length) throw bad('id table past its part');
  const offsets = u32s(buf, offset, n + 1);
  const start = offset + 4 * (n + 1);
  const len = offsets[n];
  const end = start + len + ((4 - (len % 4)) % 4);
  if (end > buf.length) throw bad('id table past its part');
  return { offsets, bytes: buf.subarray(start, start + len), end };
}

/**
 * Opens a list: reads its header and head (checksummed); the tail is read on first use. Every defect is an
 * E_RESULTS error naming the file.
 */
export function readChunkList(file: string): ChunkList {
  checkLittleEndian();
  const bad = (why: string) =>
    new MtebError('E_RESULTS', `corpus chunk top-k list is damaged (${why}): delete it and its .done marker and rerun the shard that made it`, { file });
  let read = 0;
  const readAt = (fd: number, pos: number, n: number): Buffer => {
    const b = Buffer.allocUnsafeSlow(n);
    let got = 0;
    while (got < n) {
      const r = readSync(fd, b, got, n - got, pos + got);
      if (r === 0) throw bad('shorter than its header says: truncated');
      got += r;
    }
    read += n;
    return b;
  };
  const fd = openSync(file, 'r');
  let header: ChunkListHeader;
  let headBuf: Buffer;
  let tailDigest: Buffer;
  let size: number;
  try {
    size = fstatSync(fd).size;
    if (size < MAGIC.length + 4 + 64) throw bad('not a mteb-ts top-k list');
    const start = readAt(fd, 0, MAGIC.length + 4);
    if (!start.subarray(0, MAGIC.length).equals(MAGIC)) throw bad('not a mteb-ts top-k list');
    const hLen = start.readUInt32LE(MAGIC.length);
    if (MAGIC.length + 4 + hLen + 64 > size) throw bad('header past the end: truncated');
    const hBuf = readAt(fd, MAGIC.length + 4, hLen);
    try {
      header = JSON.parse(hBuf.toString('utf8')) as ChunkListHeader;
    } catch (e) {
      throw bad(`unreadable header: ${(e as Error).message}`);
    }
    if (header.format !== CHUNK_LIST_FORMAT) throw bad(`format ${JSON.stringify(header.format)}, expected "${CHUNK_LIST_FORMAT}" (made by another mteb-ts version)`);
    const frontLen = MAGIC.length + 4 + hLen + header.head_bytes;
    if (frontLen + header.tail_bytes + 64 !== size) throw bad(`${size} bytes, its header says ${frontLen + header.tail_bytes + 64}: truncated or altered`);
    headBuf = readAt(fd, MAGIC.length + 4 + hLen, header.head_bytes);
    const digests = readAt(fd, size - 64, 64);
    if (!createHash('sha256').update(start).update(hBuf).update(headBuf).digest().equals(digests.subarray(0, 32))) throw bad('head checksum mismatch: truncated or altered');
    tailDigest = digests.subarray(32, 64);
  } finally {
    closeSync(fd);
  }
  const m = header.queries;
  if (4 * m > headBuf.length) throw bad('counts past the end');
  const counts = u32s(headBuf, 0, m);
  const headTable = readIdTable(headBuf, 4 * m, header.head_ids, bad);
  const P = header.head;
  const headStarts = new Uint32Array(m + 1);
  const tailStarts = new Uint32Array(m + 1);
  for (let q = 0; q < m; q++) {
    headStarts[q + 1] = headStarts[q] + Math.min(P, counts[q]);
    tailStarts[q + 1] = tailStarts[q] + Math.max(0, counts[q] - P);
  }
  if (headTable.end + 8 * headStarts[m] !== headBuf.length) throw bad(`${headBuf.length - headTable.end} bytes of head entries, expected ${8 * headStarts[m]}`);
  const headPairs = u32s(headBuf, headTable.end, 2 * headStarts[m]);
  const pairsPart = (starts: Uint32Array, pairs: Uint32Array): ListPart => {
    // Views with stride 2 would need index arithmetic in the merge's inner loop; split once instead.
    const n = starts[m];
    const refs = new Uint32Array(n);
    const scores = new Float32Array(n);
    const f = new Float32Array(pairs.buffer, pairs.byteOffset, pairs.length);
    for (let i = 0; i < n; i++) {
      refs[i] = pairs[2 * i];
      scores[i] = f[2 * i + 1];
    }
    return { starts, refs, scores };
  };
  const head = pairsPart(headStarts, headPairs);
  const loadTail = (): { part: ListPart; table: IdTable } => {
    const fd2 = openSync(file, 'r');
    let buf: Buffer;
    try {
      buf = readAt(fd2, size - 64 - header.tail_bytes, header.tail_bytes);
    } finally {
      closeSync(fd2);
    }
    if (!createHash('sha256').update(buf).digest().equals(tailDigest)) throw bad('tail checksum mismatch: truncated or altered');
    const t = readIdTable(buf, 0, header.tail_ids, bad);
    if (t.end + 8 * tailStarts[m] !== buf.length) throw bad(`${buf.length - t.end} bytes of tail entries, expected ${8 * tailStarts[m]}`);
    return { table: t, part: pairsPart(tailStarts, u32s(buf, t.end, 2 * tailStarts[m])) };
  };
  return new OpenChunkList(file, header, counts, head, headTable, loadTail, () => read, size, bad);
}

type IdTable = { offsets: Uint32Array; bytes: Buffer };

/**
 * An open list. A class, not an object of closures: the merge calls `id` on many lists from one place, and one
 * shared method keeps that call monomorphic (closures per list made it ~10x slower at 16 chunks).
 */
class OpenChunkList implements ChunkList {
  readonly idCount: number;
  private readonly names: (string | undefined)[];
  private tailPart: ListPart | undefined;
  private tailTable: IdTable | undefined;

  constructor(
    readonly file: string,
    readonly header: ChunkListHeader,
    readonly counts: Uint32Array,
    readonly head: ListPart,
    private readonly headTable: IdTable,
    private readonly loadTail: () => { part: ListPart; table: IdTable },
    readonly bytesRead: () => number,
    readonly size: number,
    private readonly bad: (why: string) => Error,
  ) {
    this.idCount = header.head_ids + header.tail_ids;
    this.names = new Array<string | undefined>(this.idCount);
  }

  private ensureTail(): void {
    if (this.tailPart) return;
    const t = this.loadTail();
    this.tailPart = t.part;
    this.tailTable = t.table;
  }

  tail(): ListPart {
    this.ensureTail();
    return this.tailPart!;
  }

  tailLoaded(): boolean {
    return this.tailPart !== undefined;
  }

  id(ref: number): string {
    const known = this.names[ref];
    if (known !== undefined) return known;
    if (!(ref < this.idCount)) throw this.bad('an entry points past its id table');
    const heads = this.header.head_ids;
    let name: string;
    if (ref < heads) name = this.headTable.bytes.toString('utf8', this.headTable.offsets[ref], this.headTable.offsets[ref + 1]);
    else {
      this.ensureTail();
      const t = this.tailTable!;
      name = t.bytes.toString('utf8', t.offsets[ref - heads], t.offsets[ref - heads + 1]);
    }
    this.names[ref] = name;
    return name;
  }
}
