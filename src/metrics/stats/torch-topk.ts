/**
 * Index torch.topk(x, k=1, largest=True) returns on CPU (torch 1.13, libstdc++), including among ties.
 * ATen's topk fills (value, index) pairs in index order, then for k·64 ≤ n runs std::partial_sort (a
 * one-element heap select: the first maximum wins, i.e. the lowest index) and otherwise std::nth_element
 * (introselect: median-of-3 partitions, then insertion sort), whose tie winner depends on the values.
 * Verified against torch 1.13 on 3000 tie-heavy random vectors (fixtures/golden/bitext/make_goldens.py).
 * NaN ranks above everything, as ATen's comparator puts it.
 */

type Pair = [number, number];

function comp(x: Pair, y: Pair): boolean {
  return (Number.isNaN(x[0]) && !Number.isNaN(y[0])) || x[0] > y[0];
}

function swap(q: Pair[], i: number, j: number): void {
  const t = q[i];
  q[i] = q[j];
  q[j] = t;
}

function moveMedianToFirst(q: Pair[], result: number, a: number, b: number, c: number): void {
  if (comp(q[a], q[b])) {
    if (comp(q[b], q[c])) swap(q, result, b);
    else if (comp(q[a], q[c])) swap(q, result, c);
    else swap(q, result, a);
  } else if (comp(q[a], q[c])) swap(q, result, a);
  else if (comp(q[b], q[c])) swap(q, result, c);
  else swap(q, result, b);
}

function unguardedPartition(q: Pair[], first: number, last: number, pivot: number): number {
  for (;;) {
    while (comp(q[first], q[pivot])) first++;
    last--;
    while (comp(q[pivot], q[last])) last--;
    if (!(first < last)) return first;
    swap(q, first, last);
    first++;
  }
}

function insertionSort(q: Pair[], first: number, last: number): void {
  for (let i = first + 1; i < last; i++) {
    const val = q[i];
    if (comp(val, q[first])) {
      for (let j = i; j > first; j--) q[j] = q[j - 1];
      q[first] = val;
    } else {
      let j = i;
      while (comp(val, q[j - 1])) {
        q[j] = q[j - 1];
        j--;
      }
      q[j] = val;
    }
  }
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
    moveMedianToFirst(q, first, first + 1, mid, last - 1);
    const cut = unguardedPartition(q, first + 1, last, first);
    // nth = 0: keep the left part unless the cut is at the very start
    if (cut <= 0) first = cut;
    else last = cut;
  }
  insertionSort(q, first, last);
  return q[0][1];
}
