import { promises as fs } from 'node:fs';
import type { Matrix } from '../core/matrix.js';
import { MtebError } from '../core/errors.js';
import type { CorpusChunk, CorpusProvider } from './types.js';
import { toHalf } from './vectors.js';
import { RowNormBound, trustRowNormBound } from './row-norm-bound.js';
import { markStable } from './stable-chunk.js';

export const DEFAULT_CHUNK_ROWS = 50_000;

/**
 * An in-memory corpus served as views (no copies) in chunks of `chunkRows` (mteb uses 50,000). With
 * `storage: 'float16'` the vectors are converted once and the float32 matrix can be dropped by the caller.
 * The vectors must not change while the provider is in use: each float32 chunk's row-norm bound
 * (row-norm-bound.ts) is taken when a dot-product search first asks for it and kept for later passes.
 */
export function matrixCorpus(
  ids: string[],
  vectors: Matrix,
  opts: { chunkRows?: number; storage?: 'float32' | 'float16' } = {},
): CorpusProvider {
  if (ids.length !== vectors.rows) {
    throw new MtebError('E_EMBEDDING_MISSING', `corpus has ${ids.length} ids but ${vectors.rows} vectors`);
  }
  const chunkRows = Math.max(1, opts.chunkRows ?? DEFAULT_CHUNK_ROWS);
  const dim = vectors.dim;
  const data: Float32Array | Uint16Array = opts.storage === 'float16' ? toHalf(vectors.data) : vectors.data;
  const bounds: RowNormBound[] = [];
  return {
    dim,
    size: ids.length,
    async *chunks(): AsyncIterable<CorpusChunk> {
      for (let s = 0, c = 0; s < ids.length; s += chunkRows, c++) {
        const e = Math.min(ids.length, s + chunkRows);
        // Views of vectors that must not change while the provider is in use: stable (stable-chunk.ts).
        const chunk = markStable({ ids: ids.slice(s, e), dim, data: data.subarray(s * dim, e * dim) });
        if (!(chunk.data instanceof Float32Array)) yield chunk;
        else yield trustRowNormBound(chunk, () => (bounds[c] ??= new RowNormBound().add(chunk.data as Float32Array, e - s, dim)));
      }
    },
  };
}

/**
 * Precomputed embeddings in a `.npy` file (little-endian float32 `<f4` or float16 `<f2`, C order, shape
 * [rows, dim]), read chunk by chunk into one reused buffer: memory holds one chunk, however large the file
 * (`reuseBuffer: false` gives each chunk its own buffer).
 */
export async function npyCorpus(file: string, ids: string[], opts: { chunkRows?: number; reuseBuffer?: boolean } = {}): Promise<CorpusProvider> {
  const fh = await fs.open(file, 'r');
  let header: { offset: number; dtype: string; rows: number; dim: number };
  try {
    header = await readNpyHeader(fh, file);
  } finally {
    await fh.close();
  }
  const { offset, dtype, rows, dim } = header;
  if (rows !== ids.length) throw new MtebError('E_EMBEDDING_MISSING', `${rows} vectors in the file but ${ids.length} corpus ids`, { file });
  const chunkRows = Math.max(1, opts.chunkRows ?? DEFAULT_CHUNK_ROWS);
  const bytesPer = dtype === '<f2' ? 2 : 4;
  return {
    dim,
    size: rows,
    async *chunks(): AsyncIterable<CorpusChunk> {
      const h = await fs.open(file, 'r');
      const reuse = opts.reuseBuffer ?? true;
      let shared: ArrayBuffer | undefined;
      try {
        for (let s = 0; s < rows; s += chunkRows) {
          const e = Math.min(rows, s + chunkRows);
          const want = (e - s) * dim * bytesPer;
          shared = reuse && shared && shared.byteLength >= want ? shared : new ArrayBuffer(reuse ? Math.min(rows, chunkRows) * dim * bytesPer : want);
          const buf = shared;
          let got = 0;
          while (got < want) {
            const { bytesRead } = await h.read(new Uint8Array(buf, got), 0, want - got, offset + s * dim * bytesPer + got);
            if (bytesRead === 0) throw new MtebError('E_PARSE', `file ends early (row ${s})`, { file });
            got += bytesRead;
          }
          const len = (e - s) * dim;
          const chunk = { ids: ids.slice(s, e), dim, data: bytesPer === 2 ? new Uint16Array(buf, 0, len) : new Float32Array(buf, 0, len) };
          // A buffer of its own per chunk (reuseBuffer: false) is never refilled: stable (stable-chunk.ts).
          yield reuse ? chunk : markStable(chunk);
        }
      } finally {
        await h.close();
      }
    },
  };
}

async function readNpyHeader(fh: import('node:fs/promises').FileHandle, file: string) {
  const pre = Buffer.alloc(12);
  await fh.read(pre, 0, 12, 0);
  if (pre.subarray(0, 6).toString('latin1') !== '\x93NUMPY') throw new MtebError('E_PARSE', 'not a .npy file', { file });
  const major = pre[6];
  const hlen = major === 1 ? pre.readUInt16LE(8) : pre.readUInt32LE(8);
  const start = major === 1 ? 10 : 12;
  const hb = Buffer.alloc(hlen);
  await fh.read(hb, 0, hlen, start);
  const h = hb.toString('latin1');
  const descr = /'descr':\s*'([^']+)'/.exec(h)?.[1];
  const fortran = /'fortran_order':\s*True/.test(h);
  const shape = /'shape':\s*\((\d+),\s*(\d+)\)/.exec(h);
  if (!descr || (descr !== '<f4' && descr !== '<f2')) throw new MtebError('E_PARSE', `dtype ${descr} not supported (need <f4 or <f2)`, { file, field: 'descr' });
  if (fortran || !shape) throw new MtebError('E_PARSE', 'need a C-order 2-D array', { file, field: 'shape' });
  return { offset: start + hlen, dtype: descr, rows: Number(shape[1]), dim: Number(shape[2]) };
}

/** Writes a `.npy` (float32, C order) header + rows; used by benches and tests. */
export function npyHeader(rows: number, dim: number, dtype: '<f4' | '<f2' = '<f4'): Buffer {
  let dict = `{'descr': '${dtype}', 'fortran_order': False, 'shape': (${rows}, ${dim}), }`;
  const total = 10 + dict.length + 1;
  dict += ' '.repeat((64 - (total % 64)) % 64) + '\n';
  const b = Buffer.alloc(10 + dict.length);
  b.write('\x93NUMPY', 0, 'latin1');
  b[6] = 1;
  b[7] = 0;
  b.writeUInt16LE(dict.length, 8);
  b.write(dict, 10, 'latin1');
  return b;
}
