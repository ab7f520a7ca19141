import { createHash } from 'node:crypto';
import {
  Field,
  FixedSizeBinary,
  FixedSizeList,
  Float32,
  RecordBatch,
  Schema,
  Struct,
  Table,
  makeData,
  tableFromIPC,
  tableToIPC,
} from 'apache-arrow';

export const DIGEST_BYTES = 32;

/**
 * One cache chunk = one complete Arrow IPC file (columns `digest`: FixedSizeBinary(32) sha256 of the text,
 * `vector`: FixedSizeList<float32>[dim]) whose name ends in the sha256 of its own bytes. The file is written
 * to a temp name and renamed, so a killed writer leaves no file under a final name; the name's hash catches a
 * file truncated or altered afterwards (copy, disk, another tool) before any of it is used as data.
 */
export function encodeChunk(digests: Uint8Array, vectors: Float32Array, dim: number, meta: Record<string, string>): Uint8Array {
  const n = digests.length / DIGEST_BYTES;
  const dType = new FixedSizeBinary(DIGEST_BYTES);
  const vType = new FixedSizeList(dim, new Field('item', new Float32(), false));
  const schema = new Schema(
    [new Field('digest', dType, false), new Field('vector', vType, false)],
    new Map(Object.entries(meta)),
  );
  const dData = makeData({ type: dType, length: n, data: digests, nullCount: 0 });
  const vData = makeData({ type: vType, length: n, nullCount: 0, child: makeData({ type: new Float32(), length: n * dim, data: vectors }) });
  const batch = new RecordBatch(schema, makeData({ type: new Struct(schema.fields), length: n, children: [dData, vData], nullCount: 0 }));
  return tableToIPC(new Table([batch]), 'file');
}

export interface DecodedChunk {
  rows: number;
  dim: number;
  digests: Uint8Array;
  vectors: Float32Array;
  meta: Map<string, string>;
}

/** Throws on anything malformed; callers treat a throw as a corrupt chunk. */
export function decodeChunk(bytes: Uint8Array): DecodedChunk {
  const table = tableFromIPC(bytes);
  if (table.batches.length !== 1) throw new Error(`expected 1 record batch, found ${table.batches.length}`);
  const dig = table.getChild('digest');
  const vec = table.getChild('vector');
  if (!dig || !vec) throw new Error('missing digest or vector column');
  const rows = table.numRows;
  const vType = vec.type as FixedSizeList;
  const dim = vType.listSize;
  const digests = dig.data[0].values as Uint8Array;
  const child = vec.data[0].children[0];
  const vectors = (child.values as Float32Array).subarray(child.offset, child.offset + rows * dim);
  if (digests.length < rows * DIGEST_BYTES || vectors.length !== rows * dim) throw new Error('column lengths do not match the row count');
  return { rows, dim, digests: digests.subarray(0, rows * DIGEST_BYTES), vectors, meta: table.schema.metadata };
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

const NAME = /^c-([0-9a-z]+)-(\d+)-([0-9a-f]{8})-([0-9a-f]{64})\.arrow$/;

export function chunkFileName(bytes: Uint8Array, seq: number): string {
  const rand = Math.floor(Math.random() * 2 ** 32).toString(16).padStart(8, '0');
  return `c-${Date.now().toString(36)}${seq.toString(36).padStart(4, '0')}-${process.pid}-${rand}-${sha256(bytes)}.arrow`;
}

/** The content hash a chunk file's name promises, or null if the name is not a chunk name. */
export function expectedHash(name: string): string | null {
  const m = NAME.exec(name);
  return m ? m[4] : null;
}

/**
 * The small per-chunk index `<chunk name minus .arrow>.idx`, written atomically right after its chunk, so a
 * process opening the cache reads 32 B per text instead of hashing every vector: magic, rows (u32 LE), dim
 * (u32 LE), the chunk's content sha256 (the one in its name), rows × 32 B text digests, then sha256 of all of
 * the above. The chunk itself is hashed lazily, the first time its vectors are read.
 */
export interface ChunkIndex {
  rows: number;
  dim: number;
  /** sha256 hex of the chunk file's bytes. */
  contentHash: string;
  digests: Uint8Array;
}

const INDEX_MAGIC = Buffer.from('MTEBCIX1', 'latin1');
const INDEX_HEAD = INDEX_MAGIC.length + 8 + 32;

export function encodeIndex(ix: ChunkIndex): Uint8Array {
  const out = Buffer.alloc(INDEX_HEAD + ix.digests.length + 32);
  INDEX_MAGIC.copy(out, 0);
  out.writeUInt32LE(ix.rows, 8);
  out.writeUInt32LE(ix.dim, 12);
  out.write(ix.contentHash, 16, 'hex');
  out.set(ix.digests, INDEX_HEAD);
  createHash('sha256').update(out.subarray(0, out.length - 32)).digest().copy(out, out.length - 32);
  return out;
}

/** Throws on a wrong magic, length or checksum; callers rebuild the index from its chunk. */
export function decodeIndex(bytes: Uint8Array): ChunkIndex {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  if (b.length < INDEX_HEAD + 32 || !b.subarray(0, 8).equals(INDEX_MAGIC)) throw new Error('not a chunk index');
  const rows = b.readUInt32LE(8);
  if (b.length !== INDEX_HEAD + rows * DIGEST_BYTES + 32) throw new Error(`index length ${b.length} does not fit ${rows} rows`);
  if (!createHash('sha256').update(b.subarray(0, b.length - 32)).digest().equals(b.subarray(b.length - 32))) throw new Error('index checksum mismatch');
  return { rows, dim: b.readUInt32LE(12), contentHash: b.toString('hex', 16, 48), digests: b.subarray(INDEX_HEAD, b.length - 32) };
}

export function indexFileName(chunkName: string): string {
  return chunkName.replace(/\.arrow$/, '.idx');
}

/** The chunk a `.idx` file belongs to, or null if the name is not an index name. */
export function chunkOfIndex(name: string): string | null {
  return name.endsWith('.idx') && expectedHash(name.replace(/\.idx$/, '.arrow')) ? name.replace(/\.idx$/, '.arrow') : null;
}
