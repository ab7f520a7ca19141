/**
 * One query's candidates from the current coalesced chunk, by engine score, before canonical rescoring.
 *
 * A candidate can be dropped once the engine's scores prove it is outside the top k: if k other candidates
 * have engine scores ≥ E (so canonical ≥ E − δ each), one with engine score < E − 2δ has canonical < E − δ
 * and loses to all k; one with engine score < F − δ loses to the k documents already ranked (F: their k-th
 * canonical score). `cut` is the larger of the two lines; engines may skip everything below it.
 */
export class Pending {
  rows = new Int32Array(64);
  vals = new Float32Array(64);
  n = 0;
  /** Engine scores below this cannot enter (see `line`). */
  cut = -Infinity;
  /** The k-th largest engine score held when last pruned (−Infinity before k are held). */
  ek = -Infinity;

  add(row: number, val: number): void {
    if (val < this.cut) return;
    if (this.n === this.rows.length) {
      const rows = new Int32Array(this.n * 2);
      rows.set(this.rows);
      this.rows = rows;
      const vals = new Float32Array(this.n * 2);
      vals.set(this.vals);
      this.vals = vals;
    }
    this.rows[this.n] = row;
    this.vals[this.n++] = val;
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
      for (let r = 0; r < this.n; r++) scratch[r] = this.vals[r];
      const ek = kthLargest(scratch, this.n, k);
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
