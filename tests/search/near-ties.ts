// Tie-heavy search inputs shared by the engine-independence test and its per-BLAS-kernel child process.
import type { Matrix } from '../../src/core/matrix.js';
import { canonicalScore } from '../../src/search/canonical/canonical.js';
import { compareUtf8 } from '../../src/search/id-order.js';
import type { Similarity } from '../../src/search/types.js';
import { rng } from './helpers.js';

/**
 * Documents in a few groups: a base vector plus noise of ~1e-6 relative (so scores within a group differ by
 * about as much as float32 summation order changes them), some exact duplicates (real ties, decided by id),
 * and a scale spread for the dot product. dim 100 leaves a tail after the 4-wide lanes.
 */
export function nearTieData(seed = 7, docs = 3000, queries = 12, dim = 100): { q: Matrix; c: Matrix; ids: string[] } {
  const r = rng(seed);
  const groups = 6;
  const bases = Array.from({ length: groups }, () => Float32Array.from({ length: dim }, () => r() * 2 - 1));
  const c = new Float32Array(docs * dim);
  for (let j = 0; j < docs; j++) {
    const b = bases[j % groups];
    const dup = j % 10 === 9; // every 10th doc repeats the one 6 rows before (same group)
    const scale = 1 + (Math.floor(r() * 3) - 1) * 2 ** -20;
    for (let d = 0; d < dim; d++) c[j * dim + d] = dup ? c[(j - 6) * dim + d] : Math.fround(b[d] * scale + (r() - 0.5) * 2e-6);
  }
  const q = new Float32Array(queries * dim);
  for (let i = 0; i < queries; i++) {
    const b = bases[i % groups];
    for (let d = 0; d < dim; d++) q[i * dim + d] = Math.fround(b[d] + (r() - 0.5) * 0.2);
  }
  const ids = Array.from({ length: docs }, (_, j) => `doc-${(j * 7919) % 10007}`);
  return { q: { rows: queries, dim, data: q }, c: { rows: docs, dim, data: c }, ids };
}

/** The canonical top-k by brute force: reference canonicalScore for every pair, sorted by (score desc, id desc UTF-8). */
export function canonicalTopK(q: Matrix, c: Matrix, ids: string[], k: number, similarity: Similarity): { ids: string[][]; scores: number[][] } {
  const outIds: string[][] = [];
  const outScores: number[][] = [];
  for (let i = 0; i < q.rows; i++) {
    const all = ids.map((id, j) => ({ id, s: canonicalScore(q.data, c.data, q.dim, similarity, i * q.dim, j * c.dim) }));
    all.sort((a, b) => (a.s !== b.s ? b.s - a.s : compareUtf8(b.id, a.id)));
    outIds.push(all.slice(0, k).map((x) => x.id));
    outScores.push(all.slice(0, k).map((x) => x.s));
  }
  return { ids: outIds, scores: outScores };
}
