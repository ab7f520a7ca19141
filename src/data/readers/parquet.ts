import type { Compressors } from 'hyparquet';
import * as zlib from 'node:zlib';
import { MtebError } from '../../core/errors.js';
import type { LocatedRow, Row } from './row.js';
import { wrapIoError } from './lines.js';

/**
 * INT64 columns arrive as BigInt; labels/scores/ids fit in a double, so convert (recursively for lists). Values
 * beyond 2^53 (only ever ids) become decimal strings rather than silently rounded numbers.
 */
export function normalizeValue(v: unknown): unknown {
  if (typeof v === 'bigint') return v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(v) : v.toString();
  if (Array.isArray(v)) return v.map(normalizeValue);
  if (v instanceof Date || v === null || typeof v !== 'object') return v;
  if (ArrayBuffer.isView(v)) return Array.from(v as unknown as ArrayLike<number>);
  const o: Row = {};
  for (const [k, x] of Object.entries(v as Row)) o[k] = normalizeValue(x);
  return o;
}

const u8 = (b: Buffer) => new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
const zstd = (zlib as unknown as { zstdDecompressSync?: (b: Uint8Array) => Buffer }).zstdDecompressSync;

/** hyparquet decodes SNAPPY itself; node:zlib covers GZIP, BROTLI and (Node >= 22.15) ZSTD without extra packages. */
export const COMPRESSORS: Compressors = {
  GZIP: (input) => u8(zlib.gunzipSync(input)),
  BROTLI: (input) => u8(zlib.brotliDecompressSync(input)),
  ...(zstd ? { ZSTD: (input: Uint8Array) => u8(zstd(input)) } : {}),
};

/**
 * Parquet rows via hyparquet, one row group at a time so memory stays bounded by the largest row group
 * (hub shards use ~100 MB row groups at most); see docs/BENCHMARKS.md "Parquet reader choice".
 */
export async function* readParquetRows(file: string, columns?: string[]): AsyncGenerator<LocatedRow> {
  // hyparquet loads with the first parquet file read, not with the package or the CLI.
  const { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects } = await import('hyparquet');
  let buf, metadata;
  try {
    buf = await asyncBufferFromFile(file);
    metadata = await parquetMetadataAsync(buf);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (typeof err?.code === 'string' && err.code.startsWith('E')) throw wrapIoError(e, file);
    throw new MtebError('E_PARSE', `not a readable parquet file: ${err?.message ?? String(e)}`, { file }, { cause: e });
  }
  let start = 0;
  let index = 0;
  for (const rg of metadata.row_groups) {
    const n = Number(rg.num_rows);
    let rows: Row[];
    try {
      rows = (await parquetReadObjects({ file: buf, metadata, columns, rowStart: start, rowEnd: start + n, compressors: COMPRESSORS })) as Row[];
    } catch (e) {
      const msg = (e as Error).message;
      const hint = /ZSTD/.test(msg) ? ' (ZSTD needs Node >= 22.15; or re-save the file with snappy)' : '';
      throw new MtebError('E_PARSE', `cannot decode parquet rows ${start}..${start + n}: ${msg}${hint}`, { file }, { cause: e });
    }
    start += n;
    for (const r of rows) yield { row: normalizeValue(r) as Row, file, index: index++ };
  }
}
