import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { MtebError } from '../../core/errors.js';

/**
 * One corpus chunk's per-query top-k list, written by the shard that searched the chunk
 * (`chunk-<c>-of-<N>.topk`, next to its `.done` marker) and read by `merge`. Binary, little-endian, every
 * section 4-byte aligned:
 *
 *   "MTEBTOPK" | u32 header bytes H | header JSON (UTF-8, space-padded to 4) |
 *   u32 id-table bytes I | JSON array of the doc ids, in first use (space-padded to 4) |
 *   u32 count[queries] | u32 id index[Σ count] | f32 canonical score[Σ count] | sha256 of all the bytes before
 *
 * Per query the entries are in rank order (canonical score desc, doc id desc by UTF-8 bytes); the trailing
 * digest makes a truncated or altered file an error, never a silently shorter list. The same search always gives
 * the same bytes (no times, hosts or paths inside).
 */
export interface ChunkListHeader {
  format: 'mteb-ts.topk/1';
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
}

export interface ChunkList {
  header: ChunkListHeader;
  /** Doc ids the entries point into. */
  ids: string[];
  /** counts[q]: entries of query q; starts[q]: its first entry. */
  counts: Uint32Array;
  starts: Uint32Array;
  idIndex: Uint32Array;
  scores: Float32Array;
}

const MAGIC = Buffer.from('MTEBTOPK', 'latin1');

function checkLittleEndian(): void {
  // The typed arrays below are written and read in the platform's byte order; the format says little-endian.
  if (os.endianness() !== 'LE') throw new MtebError('E_INTERNAL', 'chunk top-k lists are read and written on little-endian machines only');
}

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** UTF-8 bytes of `text`, spaces appended to a multiple of 4 (JSON ignores trailing white space). */
function padded(text: string): Buffer {
  const b = Buffer.from(text, 'utf8');
  const pad = (4 - (b.length % 4)) % 4;
  return pad ? Buffer.concat([b, Buffer.from(' '.repeat(pad))]) : b;
}

const u32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n);
  return b;
};

/** Serialises one chunk's search result (ids[q] / scores[q] in rank order, as SearchResult gives them). */
export function encodeChunkList(header: ChunkListHeader, ids: string[][], scores: ArrayLike<number>[]): Buffer {
  checkLittleEndian();
  const table: string[] = [];
  const index = new Map<string, number>();
  let total = 0;
  for (const l of ids) total += l.length;
  const counts = new Uint32Array(ids.length);
  const idIndex = new Uint32Array(total);
  const vals = new Float32Array(total);
  let o = 0;
  ids.forEach((list, q) => {
    counts[q] = list.length;
    list.forEach((id, r) => {
      let i = index.get(id);
      if (i === undefined) {
        i = table.length;
        index.set(id, i);
        table.push(id);
      }
      idIndex[o] = i;
      vals[o++] = scores[q][r];
    });
  });
  const head = padded(JSON.stringify(header));
  const tab = padded(JSON.stringify(table));
  const body = Buffer.concat([
    MAGIC,
    u32(head.length),
    head,
    u32(tab.length),
    tab,
    Buffer.from(counts.buffer, counts.byteOffset, counts.byteLength),
    Buffer.from(idIndex.buffer, idIndex.byteOffset, idIndex.byteLength),
    Buffer.from(vals.buffer, vals.byteOffset, vals.byteLength),
  ]);
  return Buffer.concat([body, createHash('sha256').update(body).digest()]);
}

/** A typed view of `bytes` at `offset` (copied when the buffer's alignment does not allow a view). */
function view<T extends Uint32Array | Float32Array>(make: new (b: ArrayBuffer, o?: number, n?: number) => T, buf: Buffer, offset: number, n: number): T {
  const at = buf.byteOffset + offset;
  if (at % 4 === 0) return new make(buf.buffer as ArrayBuffer, at, n);
  return new make(buf.buffer.slice(at, at + 4 * n) as ArrayBuffer);
}

/** Parses and checks a list file; every defect is an E_RESULTS error naming the file. */
export function readChunkList(file: string): ChunkList {
  checkLittleEndian();
  const buf = readFileSync(file);
  const bad = (why: string) =>
    new MtebError('E_RESULTS', `corpus chunk top-k list is damaged (${why}): delete it and its .done marker and rerun the shard that made it`, { file });
  if (buf.length < MAGIC.length + 40 || !buf.subarray(0, MAGIC.length).equals(MAGIC)) throw bad('not a mteb-ts top-k list');
  const end = buf.length - 32;
  if (!createHash('sha256').update(buf.subarray(0, end)).digest().equals(buf.subarray(end))) throw bad('checksum mismatch: truncated or altered');
  let o = MAGIC.length;
  const section = (): string => {
    const n = buf.readUInt32LE(o);
    if (o + 4 + n > end) throw bad('section past the end');
    const s = buf.toString('utf8', o + 4, o + 4 + n);
    o += 4 + n;
    return s;
  };
  let header: ChunkListHeader;
  let ids: string[];
  try {
    header = JSON.parse(section()) as ChunkListHeader;
    ids = JSON.parse(section()) as string[];
  } catch (e) {
    if (e instanceof MtebError) throw e;
    throw bad(`unreadable JSON: ${(e as Error).message}`);
  }
  if (header.format !== 'mteb-ts.topk/1') throw bad(`format ${JSON.stringify(header.format)}, expected "mteb-ts.topk/1"`);
  const m = header.queries;
  if (o + 4 * m > end) throw bad('counts past the end');
  const counts = view(Uint32Array, buf, o, m);
  o += 4 * m;
  const starts = new Uint32Array(m);
  let total = 0;
  for (let q = 0; q < m; q++) {
    starts[q] = total;
    total += counts[q];
  }
  if (o + 8 * total !== end) throw bad(`${end - o} bytes of entries, expected ${8 * total}`);
  const idIndex = view(Uint32Array, buf, o, total);
  const scores = view(Float32Array, buf, o + 4 * total, total);
  // Each entry's index is checked where it is used (merge reads about k · log(chunks) of them per query).
  return { header, ids, counts, starts, idIndex, scores };
}
