/**
 * Index torch.topk(x, k=1, largest=True) returns on CPU (torch 1.13, libstdc++), including among ties.
 * ATen's topk fills (value, index) pairs in index order, then for k·64 ≤ n runs std::partial_sort (a
 * one-element heap select: the first maximum wins, i.e. the lowest index) and otherwise std::nth_element
 * (introselect: median-of-3 partitions, then insertion sort), whose tie winner depends on the values.
 * Verified against torch 1.13 on 3000 tie-heavy random vectors (fixtures/golden/bitext/make_goldens.py).
 * NaN ranks above everything, as ATen's comparator puts it.
 */
import { insertionSort, moveMedianToFirst, swap, unguardedPartition } from './libstdcxx-sort.js';

type Pair = [number, number];

function comp(x: Pair, y: Pair): boolean {
  return (Number.isNaN(x[0]) && !Number.isNaN(y[0])) || x[0] > y[0];
}

function firstMax(q: Pair[], first: number, last: number): void {
  for (let i = first + 1; i < last; i++) if (comp(q[i], q[first])) swap(q, i, first);
}

/** torch.topk(values[offset .. offset+n), 1).indices[0], relative to offset. */
export function torchTop1Index(values: ArrayLike<number>, offset = 0, n = values.length - offset): number {
  if (n <= 0) throw new RangeError('topk of an empty row');
  const q: Pair[] = new Array(n);
  for (let i = 0; i < n; i++) q[i] = [values[offset + i], i];
  if (64 <= n) {
    firstMax(q, 0, n);
    return q[0][1];
  }
  let first = 0;
  let last = n;
  let depth = 2 * (31 - Math.clz32(n));
  while (last - first > 3) {
    if (depth === 0) {
      firstMax(q, first, last);
      return q[0][1];
    }
    depth--;
    const mid = first + Math.floor((last - first) / 2);
    moveMedianToFirst(q, first, first + 1, mid, last - 1, comp);
    const cut = unguardedPartition(q, first + 1, last, first, comp);
    // nth = 0: keep the left part unless the cut is at the very start
    if (cut <= 0) first = cut;
    else last = cut;
  }
  insertionSort(q, first, last, comp);
  return q[0][1];
}
