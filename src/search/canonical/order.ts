/**
 * Puts one query's rescored candidates in canonical order (score descending; equal scores in any order, which
 * RankedList.merge then orders by id), using typed arrays only: no strings or objects per candidate until the
 * ones that can enter the top k are handed over.
 *
 * The candidates arrive as runs in engine order (one per provider chunk, best engine score first: see
 * src/search/pending.ts), which the canonical order follows but for near-ties. Each run is put in canonical
 * order by insertion sort (linear when nearly sorted; a run far from sorted, such as a rescanned chunk row,
 * goes to one native sort of packed integer keys), then the runs are merged pairwise.
 */
export class CandidateOrder {
  private keys = new Float64Array(0);
  private pos = new Int32Array(0);
  private keys2 = new Float64Array(0);
  private pos2 = new Int32Array(0);
  private bounds = new Int32Array(0);

  /**
   * Orders candidates c = 0..count-1 (canonical score scores[start + c]; a new run wherever the engine score
   * engine[c] rises above engine[c - 1]) and returns their positions c, best first (a view, valid until the next
   * call), with `n`: how many of them can still enter a top k (the first k plus those tied with the k-th).
   */
  order(scores: Float32Array, engine: Float32Array, start: number, count: number, k: number): { pos: Int32Array; n: number } {
    this.reserve(count);
    let keys = this.keys;
    let pos = this.pos;
    let runs = 0;
    let a = 0;
    while (a < count) {
      let b = a + 1;
      while (b < count && !(engine[b] > engine[b - 1])) b++;
      for (let c = a; c < b; c++) {
        keys[c] = scores[start + c];
        pos[c] = c;
      }
      if (!insertionSort(keys, pos, a, b, 4 * (b - a) + 64)) sortByKey(scores, start, keys, pos, a, b);
      this.bounds[runs++] = a;
      a = b;
    }
    this.bounds[runs] = count;
    // Bottom-up merge of adjacent runs until one is left.
    let keys2 = this.keys2;
    let pos2 = this.pos2;
    while (runs > 1) {
      let w = 0;
      for (let r = 0; r < runs; r += 2) {
        const s = this.bounds[r];
        const m = this.bounds[Math.min(r + 1, runs)];
        const e = this.bounds[Math.min(r + 2, runs)];
        mergeRuns(keys, pos, s, m, e, keys2, pos2);
        this.bounds[w++] = s;
      }
      this.bounds[w] = count;
      runs = w;
      [keys, keys2] = [keys2, keys];
      [pos, pos2] = [pos2, pos];
    }
    let n = Math.min(count, k);
    while (n < count && keys[n] === keys[n - 1]) n++;
    return { pos: pos.subarray(0, count), n };
  }

  private reserve(count: number): void {
    if (this.keys.length >= count) return;
    const size = Math.max(count, 2 * this.keys.length);
    this.keys = new Float64Array(size);
    this.pos = new Int32Array(size);
    this.keys2 = new Float64Array(size);
    this.pos2 = new Int32Array(size);
    this.bounds = new Int32Array(size + 1);
  }
}

/**
 * Sorts keys[a..b) descending (pos along) with at most `budget` element moves; false (order undefined, the
 * caller sorts another way) when the run was further from sorted than that.
 */
function insertionSort(keys: Float64Array, pos: Int32Array, a: number, b: number, budget: number): boolean {
  let moves = 0;
  for (let i = a + 1; i < b; i++) {
    const s = keys[i];
    if (!(s > keys[i - 1])) continue;
    const p = pos[i];
    let j = i - 1;
    while (j >= a && keys[j] < s) {
      keys[j + 1] = keys[j];
      pos[j + 1] = pos[j];
      j--;
      if (++moves > budget) return false;
    }
    keys[j + 1] = s;
    pos[j + 1] = p;
  }
  return true;
}

/** Merges the descending runs [s, m) and [m, e) of keys/pos into the same places of outKeys/outPos. */
function mergeRuns(keys: Float64Array, pos: Int32Array, s: number, m: number, e: number, outKeys: Float64Array, outPos: Int32Array): void {
  let x = s;
  let y = m;
  let w = s;
  while (x < m && y < e) {
    if (keys[x] >= keys[y]) {
      outKeys[w] = keys[x];
      outPos[w++] = pos[x++];
    } else {
      outKeys[w] = keys[y];
      outPos[w++] = pos[y++];
    }
  }
  while (x < m) {
    outKeys[w] = keys[x];
    outPos[w++] = pos[x++];
  }
  while (y < e) {
    outKeys[w] = keys[y];
    outPos[w++] = pos[y++];
  }
}

/**
 * Candidates [a, b) sorted by score descending in one native typed-array sort: each float32 score becomes an
 * order-preserving integer key with the candidate's offset in the run in its low 21 bits (no comparator calls).
 */
function sortByKey(scores: Float32Array, start: number, keys: Float64Array, pos: Int32Array, a: number, b: number): void {
  const count = b - a;
  if (count >= 1 << 21) {
    const order = Array.from({ length: count }, (_, c) => a + c).sort((x, y) => scores[start + y] - scores[start + x]);
    for (let c = 0; c < count; c++) {
      pos[a + c] = order[c];
      keys[a + c] = scores[start + order[c]];
    }
    return;
  }
  const bits = new Uint32Array(scores.buffer, scores.byteOffset + (start + a) * 4, count);
  const packed = new Float64Array(count);
  for (let c = 0; c < count; c++) {
    const u = bits[c];
    const key = u & 0x80000000 ? ~u >>> 0 : (u | 0x80000000) >>> 0;
    packed[c] = key * 2097152 + c;
  }
  packed.sort();
  for (let c = 0; c < count; c++) {
    const o = a + (packed[count - 1 - c] % 2097152);
    pos[a + c] = o;
    keys[a + c] = scores[start + o];
  }
}
