/**
 * Embeddings travel as one contiguous row-major Float32Array: it is what onnxruntime returns, what the
 * Arrow cache stores and what a matrix multiply wants, so no per-row arrays are ever built on hot paths.
 */
export interface Matrix {
  readonly rows: number;
  readonly dim: number;
  readonly data: Float32Array;
}

export function makeMatrix(rows: number, dim: number, data?: Float32Array): Matrix {
  const d = data ?? new Float32Array(rows * dim);
  if (d.length !== rows * dim) throw new RangeError(`matrix data has ${d.length} values, expected ${rows}x${dim}`);
  return { rows, dim, data: d };
}

export function row(m: Matrix, i: number): Float32Array {
  return m.data.subarray(i * m.dim, (i + 1) * m.dim);
}

export function fromRows(rows: ArrayLike<number>[], dim?: number): Matrix {
  const d = dim ?? (rows.length ? rows[0].length : 0);
  const out = new Float32Array(rows.length * d);
  rows.forEach((r, i) => out.set(r as ArrayLike<number>, i * d));
  return { rows: rows.length, dim: d, data: out };
}

/** Rows i of `m` selected by `idx`, in that order (used to expand deduplicated texts back to items). */
export function gather(m: Matrix, idx: ArrayLike<number>): Matrix {
  const out = new Float32Array(idx.length * m.dim);
  for (let k = 0; k < idx.length; k++) out.set(row(m, idx[k]), k * m.dim);
  return { rows: idx.length, dim: m.dim, data: out };
}

export function toArrays(m: Matrix): Float64Array[] {
  const out: Float64Array[] = [];
  for (let i = 0; i < m.rows; i++) out.push(Float64Array.from(row(m, i)));
  return out;
}
