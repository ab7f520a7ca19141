/**
 * The resident path of CanonicalScorer.scoreBatch on the native kernel (native-kernel.ts): the pairs sorted by row
 * as canonical.wasm's path sorts them, read from the segments where they are (copies in the scorer's WebAssembly
 * memory, arrays held in place, a streamed chunk), the queries from the caller's array. Runs of rows (never a row
 * split) go to koffi's worker threads and this one: each score is one fixed computation, so the thread count
 * changes only the speed (measured: two threads halve the step when the second core is free, BENCHMARKS.md
 * round 9).
 */
import { MtebError } from '../../core/errors.js';
import type { NativeKernel } from './native-kernel.js';
import { pairsByRow, rowBuckets } from './pairs-by-row.js';

/** Rows [base, next segment's base) of the resident set, row r at data[(r - base) * dim ..]; bases ascending. */
export interface Segment {
  base: number;
  data: Float32Array;
}

/**
 * out[p] = canonical score of query i (row i of `queries`) and resident row rows[p], for p in query i's range
 * (starts/counts as scoreBatch's); `n` rows in all, `parts` runs, `scratch` one float64 row per run (grown here).
 */
export async function nativeBatch(
  native: NativeKernel,
  segments: Segment[],
  n: number,
  dim: number,
  cosine: boolean,
  queries: Float32Array,
  m: number,
  rows: Int32Array,
  starts: Int32Array,
  counts: Int32Array,
  out: Float32Array,
  total: number,
  parts: number,
  scratch: Float64Array[],
): Promise<void> {
  // The native kernel reads without bounds checks: what it is given must be there (a wrong row would be a
  // crash, not an exception).
  const bad = (why: string) => new MtebError('E_INTERNAL', `native rescoring: ${why}`);
  if (queries.length < m * dim) throw bad(`${m} queries need ${m * dim} values, got ${queries.length}`);
  if (n > 0 && segments[0]?.base !== 0) throw bad('no segment holds row 0');
  for (let s = 0; s < segments.length; s++) {
    const end = s + 1 < segments.length ? segments[s + 1].base : n;
    if (segments[s].data.length < (end - segments[s].base) * dim) throw bad(`segment ${s} is shorter than its rows`);
  }
  for (let i = 0; i < m; i++) {
    if (starts[i] + counts[i] > Math.min(rows.length, out.length)) throw bad(`query ${i}'s candidates run past the arrays`);
  }
  // rowBuckets checks every row is one of the n held, in its counting pass.
  const pairs = pairsByRow(m, rows, starts, counts, rowBuckets(m, rows, starts, counts, n), total);
  // Cosine only (a dot product divides by nothing): canonicalNorm's bits, natively (1,000 x 1,024: ~1.4 ms in
  // JavaScript).
  const qnorms = new Float64Array(m);
  if (cosine) native.norms(queries, m, dim, qnorms);
  const segs = segments.map((s) => s.data);
  const segBase = Int32Array.from(segments, (s) => s.base);
  const running: Promise<void>[] = [];
  let from = 0;
  for (let t = 0; t < parts && from < total; t++) {
    let to = t === parts - 1 ? total : Math.min(total, Math.round(((t + 1) * total) / parts));
    while (to < total && to > from && pairs[3 * to] === pairs[3 * (to - 1)]) to++;
    if (!(scratch[t]?.length >= dim)) scratch[t] = new Float64Array(dim);
    const call = { segs, segBase, queries, qnorms, pairs, from, to, dim, cosine, out, scratch: scratch[t] };
    if (t < parts - 1) running.push(native.scorePairsAsync(call));
    else native.scorePairs(call);
    from = to;
  }
  await Promise.all(running);
}
