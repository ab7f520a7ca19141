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
