/**
 * One query's candidates from the current coalesced chunk, by engine score, before canonical rescoring.
 *
 * A candidate can be dropped once the engine's scores prove it is outside the top k: if k other candidates
 * have engine scores ≥ E (so canonical ≥ E − δ each), one with engine score < E − 2δ has canonical < E − δ
 * and loses to all k; one with engine score < F − δ loses to the k documents already ranked (F: their k-th
 * canonical score). `cut` is the larger of the two lines; engines may skip everything below it.
 */
export class Pending {
  rows: Int32Array;
  vals: Float32Array;
  n = 0;
  /** Engine scores below this cannot enter (see `line`). */
  cut = -Infinity;
  /** The k-th largest engine score held when last pruned (−Infinity before k are held). */
  ek = -Infinity;

  /** `capacity`: entries held before the arrays first grow (a search passes what two chunks' proposals need). */
  constructor(capacity = 64) {
    this.rows = new Int32Array(capacity);
    this.vals = new Float32Array(capacity);
  }

  add(row: number, val: number): void {
    if (val < this.cut) return;
    if (this.n === this.rows.length) this.reserve(this.n + 1);
    this.rows[this.n] = row;
    this.vals[this.n++] = val;
  }

  /** Room for `size` entries. */
  private reserve(size: number): void {
    if (size <= this.rows.length) return;
    const cap = Math.max(size, 2 * this.rows.length);
    const rows = new Int32Array(cap);
    rows.set(this.rows.subarray(0, this.n));
    this.rows = rows;
    const vals = new Float32Array(cap);
    vals.set(this.vals.subarray(0, this.n));
    this.vals = vals;
  }

  /**
   * Adds one query's engine proposals, slots [o, o + kk) of a top-k result (values best first, chunk row
   * `base + index`; index -1 ends them), stopping at the first below the cut: all later ones are lower. True
   * when all kk slots held proposals at or above the cut (the rest of the chunk may hold more).
   */
  addTop(values: Float32Array, indices: ArrayLike<number | bigint>, o: number, kk: number, base: number): boolean {
    this.reserve(this.n + kk);
    const { rows, vals, cut } = this;
    let w = this.n;
    let r = 0;
    for (; r < kk; r++) {
      const j = Number(indices[o + r]);
      const v = values[o + r];
      if (j < 0 || v < cut) break;
      rows[w] = base + j;
      vals[w++] = v;
    }
    this.n = w;
    return r === kk;
  }

  /** Drops the entries of rows ≥ `from` (a chunk about to be rescanned in full). */
  dropFrom(from: number): void {
    let w = 0;
    for (let r = 0; r < this.n; r++) {
      if (this.rows[r] >= from) continue;
      this.rows[w] = this.rows[r];
      this.vals[w++] = this.vals[r];
    }
    this.n = w;
  }

  /**
   * Raises `cut` to max(rankedLine, E_k − twoDelta) (E_k: the k-th largest engine score held) and drops the
   * entries below it. `scratch` needs room for n values.
   */
  prune(k: number, twoDelta: number, rankedLine: number, scratch: Float64Array): void {
    if (this.n >= k) {
      let ek = kthLargestOfRuns(this.vals, this.n, k);
      if (ek === undefined) {
        for (let r = 0; r < this.n; r++) scratch[r] = this.vals[r];
        ek = kthLargest(scratch, this.n, k);
      }
      if (ek > this.ek) this.ek = ek;
    }
    this.line(twoDelta, rankedLine);
    const cut = this.cut;
    let w = 0;
    for (let r = 0; r < this.n; r++) {
      if (this.vals[r] < cut) continue;
      this.rows[w] = this.rows[r];
      this.vals[w++] = this.vals[r];
    }
    this.n = w;
  }

  /**
   * Sets `cut` = max(rankedLine, ek − twoDelta) for the current bound. The bound can grow between chunks (dot
   * products: a chunk with larger norms), so the cut is recomputed, never kept, when it changes: entries
   * dropped earlier stay out rightly (their own errors were within the smaller bound), later ones get the
   * larger margin.
   */
  line(twoDelta: number, rankedLine: number): number {
    this.cut = Math.max(rankedLine, this.ek - twoDelta);
    return this.cut;
  }

  clear(): void {
    this.n = 0;
    this.cut = -Infinity;
    this.ek = -Infinity;
  }
}

/** Above this many descending runs, kthLargestOfRuns leaves the selection to quickselect. */
const MAX_RUNS = 16;
const runBounds = new Int32Array(MAX_RUNS + 1);

/** How many of the descending run a[s..e) are ≥ v (binary search). */
function countAtLeast(a: Float32Array, s: number, e: number, v: number): number {
  let lo = s;
  let hi = e;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] >= v) lo = mid + 1;
    else hi = mid;
  }
  return lo - s;
}

/**
 * The k-th largest of a[0..n) (1 ≤ k ≤ n) without reordering it, when a is a few descending runs (pending
 * candidates: one run per chunk, in the engine's order): the largest value v with at least k values ≥ v, found
 * by binary search in each run, O(runs² log² n) instead of a copy and a quickselect. Undefined when a has more
 * than MAX_RUNS runs or a NaN (then the caller selects another way).
 */
export function kthLargestOfRuns(a: Float32Array, n: number, k: number): number | undefined {
  let runs = 0;
  runBounds[0] = 0;
  for (let i = 1; i < n; i++) {
    const x = a[i];
    if (x > a[i - 1]) {
      if (++runs === MAX_RUNS) return undefined;
      runBounds[runs] = i;
    } else if (x !== x) return undefined;
  }
  if (a[0] !== a[0]) return undefined;
  runBounds[++runs] = n;
  let best = -Infinity;
  for (let r = 0; r < runs; r++) {
    // First position t of run r whose value has ≥ k values at or above it (positions after it all do).
    let lo = runBounds[r];
    let hi = runBounds[r + 1];
    if (!(a[lo] > best)) continue; // nothing in this run beats what is found already
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const v = a[mid];
      let c = 0;
      for (let q = 0; q < runs && c < k; q++) c += countAtLeast(a, runBounds[q], runBounds[q + 1], v);
      if (c >= k) hi = mid;
      else lo = mid + 1;
    }
    if (lo < runBounds[r + 1] && a[lo] > best) best = a[lo];
  }
  return best;
}

/** The k-th largest of a[0..n) (1 ≤ k ≤ n), reordering a (quickselect, median-of-three pivots). */
export function kthLargest(a: Float64Array, n: number, k: number): number {
  let lo = 0;
  let hi = n - 1;
  const target = k - 1; // index in descending order
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    // median of three as pivot
    let x = a[lo];
    let y = a[mid];
    let z = a[hi];
    if (x < y) [x, y] = [y, x];
    if (y < z) [y, z] = [z, y];
    if (x < y) [x, y] = [y, x];
    const pivot = y;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] > pivot) i++;
      while (a[j] < pivot) j--;
      if (i <= j) {
        const t = a[i];
        a[i] = a[j];
        a[j] = t;
        i++;
        j--;
      }
    }
    if (target <= j) hi = j;
    else if (target >= i) lo = i;
    else return a[target];
  }
  return a[target];
}
