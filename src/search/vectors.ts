import type { CorpusChunk } from './types.js';

/** IEEE 754 half → float32 value. */
export function halfToFloat(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * f * 2 ** -24;
  if (e === 31) return f ? NaN : s * Infinity;
  return s * (1 + f / 1024) * 2 ** (e - 15);
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
/** float32 → IEEE 754 half bits, round to nearest even. */
export function floatToHalf(v: number): number {
  f32[0] = v;
  const x = u32[0];
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  let mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  let e = exp - 127 + 15;
  if (e >= 31) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    const half = 1 << (shift - 1);
    let r = mant >> shift;
    const rem = mant & ((1 << shift) - 1);
    if (rem > half || (rem === half && r & 1)) r++;
    return sign | r;
  }
  let r = mant >> 13;
  const rem = mant & 0x1fff;
  if (rem > 0x1000 || (rem === 0x1000 && r & 1)) {
    r++;
    if (r === 0x400) {
      r = 0;
      e++;
      if (e >= 31) return sign | 0x7c00;
    }
  }
  return sign | (e << 10) | r;
}

export function toHalf(data: Float32Array): Uint16Array {
  const out = new Uint16Array(data.length);
  for (let i = 0; i < data.length; i++) out[i] = floatToHalf(data[i]);
  return out;
}

/** A float32 copy of a chunk's vectors (always a copy: normalisation writes into it). */
export function chunkToFloat32(chunk: CorpusChunk): Float32Array {
  if (chunk.data instanceof Float32Array) return chunk.data.slice();
  const out = new Float32Array(chunk.data.length);
  const lut = halfTable();
  for (let i = 0; i < out.length; i++) out[i] = lut[chunk.data[i]];
  return out;
}

let lutCache: Float32Array | undefined;
/** All 65,536 half bit patterns widened to float32 (built once). */
export function halfTable(): Float32Array {
  if (!lutCache) {
    lutCache = new Float32Array(65536);
    for (let h = 0; h < 65536; h++) lutCache[h] = halfToFloat(h);
  }
  return lutCache;
}

/**
 * In place, as torch.nn.functional.normalize (p=2, eps=1e-12): x / max(‖x‖₂, eps), with the norm rounded to
 * float32 and a correctly rounded float32 division. Returns a mask of rows holding a non-finite value, whose
 * scores mteb turns into NaN → -1.
 */
export function normalizeRows(data: Float32Array, dim: number, normalize: boolean): Uint8Array {
  const rows = dim ? data.length / dim : 0;
  const bad = new Uint8Array(rows);
  for (let r = 0; r < rows; r++) {
    const o = r * dim;
    let ss = 0;
    for (let j = 0; j < dim; j++) ss += data[o + j] * data[o + j];
    if (!Number.isFinite(ss)) {
      bad[r] = 1;
      data.fill(0, o, o + dim);
      continue;
    }
    if (!normalize) continue;
    const norm = Math.max(Math.fround(Math.sqrt(ss)), 1e-12);
    for (let j = 0; j < dim; j++) data[o + j] = data[o + j] / norm;
  }
  return bad;
}

const EPS_F32 = Math.fround(1e-12);

/**
 * `dst = src / max(‖src‖₂, 1e-12)` per row, as torch.nn.functional.normalize (p=2, eps=1e-12, float32): the
 * norm is rounded to float32 and each quotient is a correctly rounded float32 division. NaN and ±Inf propagate
 * as in torch (an Inf makes its row's norm Inf, so Inf/Inf = NaN), which the search turns into a -1 score.
 * The JS engine's reference for the normalisation the onnxruntime graph does; `dst` may be `src`.
 */
export function torchNormalizeInto(src: Float32Array, dst: Float32Array, dim: number): Float32Array {
  for (let o = 0; o < src.length; o += dim) {
    let ss = 0;
    for (let j = o; j < o + dim; j++) ss += src[j] * src[j];
    const norm = Math.fround(Math.sqrt(ss));
    const den = norm > EPS_F32 ? norm : Number.isNaN(norm) ? NaN : EPS_F32;
    for (let j = o; j < o + dim; j++) dst[j] = src[j] / den;
  }
  return dst;
}
