import { compareUtf8 } from '../../search/id-order.js';
import type { ChunkList } from './format.js';

/**
 * One query's top-k from the chunks' list heads alone, without comparing entries one against another: the heads'
 * scores are spread into about as many buckets as there are entries by their float32 bits (a key in score order),
 * the buckets are read from the best down until k entries are out, and only within a bucket (one or two entries,
 * usually) are entries compared. That is a few passes over the heads' ~k + 4·√(k·chunks) + 8·chunks entries,
 * where a k-way merge (heap-merge.ts) pays ~2·log2(chunks) comparisons for each of the k it outputs: faster from
 * ~8 chunks on (merge-lists.ts BUCKET_MERGE_FROM; bench/shard/merge-chunks.ts). The order is the single-process
 * search's (canonical score desc, then doc id desc by UTF-8 bytes), so the result is the heap merge's bit for bit.
 *
 * The heads suffice unless some chunk that has a tail for this query gave all its head entries: then a tail entry
 * might rank within the top-k, and `merge` answers null so the caller takes the heap merge, which reads tails.
 */
export class RunMerger {
  private cap = 0;
  private sc = new Float32Array(0);
  /** The scores' bits. */
  private bits = new Int32Array(0);
  private key = new Int32Array(0);
  private ch = new Uint32Array(0);
  private rf = new Uint32Array(0);
  /** Entry indices grouped by bucket, and each bucket's start (counting sort). */
  private order = new Uint32Array(0);
  private starts = new Uint32Array(0);
  private readonly taken: Uint32Array;
  private readonly headLen: Uint32Array;

  constructor(private readonly lists: readonly ChunkList[]) {
    this.taken = new Uint32Array(lists.length);
    this.headLen = new Uint32Array(lists.length);
  }

  private grow(n: number): void {
    if (n <= this.cap) return;
    this.cap = Math.max(n, 2 * this.cap);
    this.sc = new Float32Array(this.cap);
    this.bits = new Int32Array(this.sc.buffer);
    this.key = new Int32Array(this.cap);
    this.ch = new Uint32Array(this.cap);
    this.rf = new Uint32Array(this.cap);
    this.order = new Uint32Array(this.cap);
    // Buckets: the power of 2 at or above the entry count, plus one for the end.
    this.starts = new Uint32Array(2 ** Math.ceil(Math.log2(this.cap)) + 1);
  }

  merge(q: number, k: number): { ids: string[]; scores: Float32Array } | null {
    const lists = this.lists;
    const C = lists.length;
    let n = 0;
    for (let c = 0; c < C; c++) {
      const h = lists[c].head;
      n += h.starts[q + 1] - h.starts[q];
    }
    this.grow(n);
    const { sc, key, ch, rf, order, starts } = this;
    let o = 0;
    for (let c = 0; c < C; c++) {
      const h = lists[c].head;
      const a = h.starts[q];
      const b = h.starts[q + 1];
      this.headLen[c] = b - a;
      this.taken[c] = 0;
      // Plain loops: subarray views per chunk and query were a good part of the garbage.
      const hs = h.scores;
      const hr = h.refs;
      for (let i = a; i < b; i++, o++) {
        sc[o] = hs[i];
        rf[o] = hr[i];
        ch[o] = c;
      }
    }
    const len = Math.min(k, n);
    const ids = new Array<string>(len);
    const scores = new Float32Array(len);
    if (n) {
      const nb = bucketize(this.bits, n, key, order, starts);
      let w = 0;
      for (let b = nb - 1; b >= 0 && w < len; b--) {
        const a = b ? starts[b - 1] : 0;
        const e = starts[b];
        if (e - a > 1) this.sortBucket(a, e);
        for (let j = a; j < e && w < len; j++) {
          const i = order[j];
          this.taken[ch[i]]++;
          ids[w] = lists[ch[i]].id(rf[i]);
          scores[w] = sc[i];
          w++;
        }
      }
    }
    for (let c = 0; c < C; c++) {
      // A chunk with a tail for this query gave its whole head: its tail may hold more of the top-k.
      if (lists[c].counts[q] > this.headLen[c] && this.taken[c] === this.headLen[c]) return null;
    }
    return { ids, scores };
  }

  /** Orders order[a, e) best first: score desc, then doc id desc by UTF-8 bytes (insertion sort: buckets hold ~1 entry). */
  private sortBucket(a: number, e: number): void {
    const { sc, ch, rf, order, lists } = this;
    if (e - a > 16) {
      // A crowded bucket (scores far from uniform: outliers stretch the key range): a comparison sort, not n².
      const before = (v: number, u: number) => sc[v] > sc[u] || (sc[v] === sc[u] && compareUtf8(lists[ch[v]].id(rf[v]), lists[ch[u]].id(rf[u])) > 0);
      order.set(Array.from(order.subarray(a, e)).sort((v, u) => (before(v, u) ? -1 : before(u, v) ? 1 : 0)), a);
      return;
    }
    for (let j = a + 1; j < e; j++) {
      const v = order[j];
      const s = sc[v];
      let p = j;
      while (p > a) {
        const u = order[p - 1];
        if (!(s > sc[u] || (s === sc[u] && compareUtf8(lists[ch[v]].id(rf[v]), lists[ch[u]].id(rf[u])) > 0))) break;
        order[p] = u;
        p--;
      }
      order[p] = v;
    }
  }
}

/**
 * Counting sort of n float32 scores (their bits as int32) into about n buckets in score order: afterwards bucket b
 * holds entries order[starts[b - 1] (0 for b = 0), starts[b]), and the bucket count is returned. Keys: the bits
 * as int32 with the magnitude bits of negatives flipped, so int order is float order; -0 counts as 0.
 */
function bucketize(bits: Int32Array, n: number, key: Int32Array, order: Uint32Array, starts: Uint32Array): number {
  let lo = 0x7fffffff;
  let hi = -0x7fffffff - 1;
  for (let i = 0; i < n; i++) {
    const b = bits[i] === -0x7fffffff - 1 ? 0 : bits[i];
    const v = b ^ ((b >> 31) & 0x7fffffff);
    key[i] = v;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  let nb = 2;
  while (nb < n) nb *= 2;
  // The smallest shift that fits the key range into nb buckets; key - lo < 2^32, so >>> keeps it exact.
  let shift = 0;
  while ((hi - lo) / 2 ** shift >= nb) shift++;
  starts.fill(0, 0, nb + 1);
  for (let i = 0; i < n; i++) {
    const b = (key[i] - lo) >>> shift;
    key[i] = b;
    starts[b + 1]++;
  }
  for (let b = 0; b < nb; b++) starts[b + 1] += starts[b];
  for (let i = 0; i < n; i++) order[starts[key[i]]++] = i;
  return nb;
}
