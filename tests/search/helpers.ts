import type { Matrix } from '../../src/core/matrix.js';
import type { Similarity } from '../../src/search/types.js';
import { mulberry32 } from '../../src/util/mulberry32.js';

/** Deterministic PRNG (mulberry32) so fixtures need no files. */
export const rng = mulberry32;

/** Small integers: every engine computes such dot products exactly, so ties are real ties. */
export function intMatrix(rows: number, dim: number, seed: number, lo = -2, hi = 2): Matrix {
  const r = rng(seed);
  const data = new Float32Array(rows * dim);
  for (let i = 0; i < data.length; i++) data[i] = lo + Math.floor(r() * (hi - lo + 1));
  return { rows, dim, data };
}

export function floatMatrix(rows: number, dim: number, seed: number): Matrix {
  const r = rng(seed);
  const data = new Float32Array(rows * dim);
  for (let i = 0; i < data.length; i++) data[i] = r() * 2 - 1;
  return { rows, dim, data };
}

/**
 * Independent reference: every score in float64 (exact for small integers), order by score desc then doc id
 * desc compared as UTF-8 bytes with Buffer.compare (not the code under test's comparator).
 */
export function bruteForce(
  q: Matrix,
  c: Matrix,
  ids: string[],
  k: number,
  similarity: Similarity,
  exclude?: (Set<string> | undefined)[],
): { ids: string[][]; scores: number[][] } {
  const norm = (m: Matrix, i: number) => {
    let s = 0;
    for (let d = 0; d < m.dim; d++) s += m.data[i * m.dim + d] ** 2;
    return similarity === 'cosine' ? Math.max(Math.sqrt(s), 1e-12) : 1;
  };
  const outIds: string[][] = [];
  const outScores: number[][] = [];
  for (let i = 0; i < q.rows; i++) {
    const rows: { id: string; score: number }[] = [];
    for (let j = 0; j < c.rows; j++) {
      if (exclude?.[i]?.has(ids[j])) continue;
      let s = 0;
      for (let d = 0; d < q.dim; d++) s += q.data[i * q.dim + d] * c.data[j * c.dim + d];
      s = s / norm(q, i) / norm(c, j);
      rows.push({ id: ids[j], score: Number.isNaN(s) ? -1 : s });
    }
    rows.sort((a, b) => b.score - a.score || Buffer.compare(Buffer.from(b.id, 'utf8'), Buffer.from(a.id, 'utf8')));
    outIds.push(rows.slice(0, k).map((r) => r.id));
    outScores.push(rows.slice(0, k).map((r) => r.score));
  }
  return { ids: outIds, scores: outScores };
}
