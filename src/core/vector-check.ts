import { MtebError, type ErrorLocation } from './errors.js';
import type { Matrix } from './matrix.js';

/**
 * The one check every vector from outside passes (OpenAI-compatible servers, precomputed JSONL/Arrow files,
 * and — through `validating` — any model's output matrix): numbers only (no null, boolean, string), finite
 * after conversion to float32 (1e39 overflows to Infinity), the right dimension, the right count, and an
 * integer, in-range, unique `index` when a response gives one. Errors: E_EMBEDDING_NAN for a value,
 * E_EMBEDDING_DIM for a dimension or count, E_BAD_VALUE for an index.
 */
export interface VectorSite {
  /** Who produced the vector, for messages: `model m`, `http://host/v1/embeddings`, a file is in `location`. */
  source: string;
  /** Which vector, for messages: `text #3 "abc"`, `item 2 of the response`. */
  which: string;
  location?: ErrorLocation;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 20 ? `${v.slice(0, 17)}...` : v)}`;
  if (typeof v === 'number') return String(v);
  return `${JSON.stringify(v) ?? String(v)} (${typeof v})`;
}

/**
 * `raw` (a JSON array, or a typed array already decoded) as a Float32Array, or a precise MtebError.
 * `expectedDim` undefined = any dimension (the first vector of a file or response fixes it).
 */
export function checkVector(raw: unknown, expectedDim: number | undefined, site: VectorSite): Float32Array {
  const loc = site.location ?? {};
  let arr: ArrayLike<unknown>;
  if (Array.isArray(raw)) arr = raw;
  else if (ArrayBuffer.isView(raw) && !(raw instanceof DataView)) arr = raw as unknown as ArrayLike<number>;
  else throw new MtebError('E_EMBEDDING_NAN', `${site.source} gave ${describe(raw)} for the embedding of ${site.which}, not an array of numbers`, loc);
  if (arr.length === 0) throw new MtebError('E_EMBEDDING_DIM', `${site.source} gave an empty embedding for ${site.which}`, loc);
  if (expectedDim !== undefined && arr.length !== expectedDim)
    throw new MtebError('E_EMBEDDING_DIM', `${site.source} gave ${arr.length} values for ${site.which}, expected ${expectedDim}`, loc);
  const out = new Float32Array(arr.length);
  for (let j = 0; j < arr.length; j++) {
    const x = arr[j];
    if (typeof x !== 'number' && typeof x !== 'bigint') {
      const hint = x === null ? ' (NaN or Infinity written as JSON null?)' : '';
      throw new MtebError('E_EMBEDDING_NAN', `${site.source} gave ${describe(x)} as value ${j} of ${site.which}, not a finite number${hint}`, loc);
    }
    out[j] = Number(x);
    if (!Number.isFinite(out[j]))
      throw new MtebError('E_EMBEDDING_NAN', `${site.source} gave ${String(x)} as value ${j} of ${site.which}, not a finite float32 number`, loc);
  }
  return out;
}

/**
 * Where each of `n` response items goes: `index` when the items carry one (all of them must: an integer in
 * [0, n), each once), else their position. Wrong count: E_EMBEDDING_DIM.
 */
export function responseOrder(items: unknown[], n: number, site: Omit<VectorSite, 'which'>): number[] {
  const loc = site.location ?? {};
  if (items.length !== n) throw new MtebError('E_EMBEDDING_DIM', `${site.source} returned ${items.length} embeddings for ${n} texts`, loc);
  const has = items.map((it) => it !== null && typeof it === 'object' && (it as Record<string, unknown>).index !== undefined);
  if (!has.some(Boolean)) return items.map((_, i) => i);
  const missing = has.indexOf(false);
  if (missing >= 0) throw new MtebError('E_BAD_VALUE', `${site.source}: item ${missing} of the response has no "index" while others do`, { ...loc, field: 'index' });
  const seen = new Set<number>();
  return items.map((it, i) => {
    const idx = (it as Record<string, unknown>).index;
    if (typeof idx !== 'number' || !Number.isInteger(idx) || idx < 0 || idx >= n)
      throw new MtebError('E_BAD_VALUE', `${site.source}: item ${i} of the response has index ${describe(idx)}, expected an integer in [0, ${n})`, { ...loc, field: 'index' });
    if (seen.has(idx)) throw new MtebError('E_BAD_VALUE', `${site.source}: index ${idx} appears twice in the response`, { ...loc, field: 'index' });
    seen.add(idx);
    return idx;
  });
}

/**
 * A model's output matrix: `texts.length` rows of `dim` finite values (`dim` undefined: any dimension, as for
 * the first vectors an embedding cache namespace receives).
 */
export function checkMatrix(m: Matrix, texts: string[], dim: number | undefined, source: string): Matrix {
  if (m.rows !== texts.length) throw new MtebError('E_EMBEDDING_DIM', `${source} returned ${m.rows} vectors for ${texts.length} texts`);
  if (dim !== undefined && m.dim !== dim) throw new MtebError('E_EMBEDDING_DIM', `${source} returned vectors of dimension ${m.dim}, expected ${dim}`);
  if (m.data.length !== m.rows * m.dim) throw new MtebError('E_EMBEDDING_DIM', `${source} returned ${m.data.length} values for ${m.rows}x${m.dim} vectors`);
  const d = m.data;
  for (let i = 0; i < d.length; i++) {
    if (!Number.isFinite(d[i])) {
      const r = Math.floor(i / m.dim);
      const t = texts[r];
      const shown = t.length > 60 ? `${t.slice(0, 57)}...` : t;
      throw new MtebError('E_EMBEDDING_NAN', `${source} returned ${d[i]} in the vector of text #${r} ${JSON.stringify(shown)}`);
    }
  }
  return m;
}
