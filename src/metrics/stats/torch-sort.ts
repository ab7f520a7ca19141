/**
 * torch.argsort(-x) on CPU (torch 1.13, libstdc++), the ranking mteb 1.x's legacy reranking MRR uses.
 * torch's default sort is not stable: ATen runs std::sort (introsort: median-of-3 quicksort down to 16
 * elements, heapsort past 2·log2(n) levels, final insertion sort) over (key, index) pairs with keys −x,
 * so tied scores come out in an order that depends on all values. This reproduces it step by step; it
 * matched torch 1.13 on 3 200 tie-heavy random vectors (n up to 2 000, see fixtures/golden/reranking).
 */

type Pair = [number, number];

// ATen KeyValueCompAsc: NaN sorts last.
function less(x: Pair, y: Pair): boolean {
  return (!Number.isNaN(x[0]) && Number.isNaN(y[0])) || x[0] < y[0];
}

function swap(q: Pair[], i: number, j: number): void {
  const t = q[i];
  q[i] = q[j];
  q[j] = t;
}

function moveMedianToFirst(q: Pair[], result: number, a: number, b: number, c: number): void {
  if (less(q[a], q[b])) {
    if (less(q[b], q[c])) swap(q, result, b);
    else if (less(q[a], q[c])) swap(q, result, c);
    else swap(q, result, a);
  } else if (less(q[a], q[c])) swap(q, result, a);
  else if (less(q[b], q[c])) swap(q, result, c);
  else swap(q, result, b);
}

function unguardedPartition(q: Pair[], first: number, last: number, pivot: number): number {
  for (;;) {
    while (less(q[first], q[pivot])) first++;
    last--;
    while (less(q[pivot], q[last])) last--;
    if (!(first < last)) return first;
    swap(q, first, last);
    first++;
  }
}

function adjustHeap(q: Pair[], first: number, hole: number, len: number, value: Pair): void {
  const top = hole;
  let child = hole;
  while (child < Math.floor((len - 1) / 2)) {
    child = 2 * (child + 1);
    if (less(q[first + child], q[first + child - 1])) child--;
    q[first + hole] = q[first + child];
    hole = child;
  }
  if ((len & 1) === 0 && child === Math.floor((len - 2) / 2)) {
    child = 2 * (child + 1);
    q[first + hole] = q[first + child - 1];
    hole = child - 1;
  }
  let parent = Math.floor((hole - 1) / 2);
  while (hole > top && less(q[first + parent], value)) {
    q[first + hole] = q[first + parent];
    hole = parent;
    parent = Math.floor((hole - 1) / 2);
  }
  q[first + hole] = value;
}

function heapSort(q: Pair[], first: number, last: number): void {
  const n = last - first;
  if (n >= 2) {
    for (let parent = Math.floor((n - 2) / 2); parent >= 0; parent--) adjustHeap(q, first, parent, n, q[first + parent]);
  }
  while (last - first > 1) {
    last--;
    const value = q[last];
    q[last] = q[first];
    adjustHeap(q, first, 0, last - first, value);
  }
}

function introsortLoop(q: Pair[], first: number, last: number, depth: number): void {
  while (last - first > 16) {
    if (depth === 0) {
      heapSort(q, first, last);
      return;
    }
    depth--;
    const mid = first + Math.floor((last - first) / 2);
    moveMedianToFirst(q, first, first + 1, mid, last - 1);
    const cut = unguardedPartition(q, first + 1, last, first);
    introsortLoop(q, cut, last, depth);
    last = cut;
  }
}

function insertionSort(q: Pair[], first: number, last: number): void {
  for (let i = first + 1; i < last; i++) {
    const val = q[i];
    if (less(val, q[first])) {
      for (let j = i; j > first; j--) q[j] = q[j - 1];
      q[first] = val;
    } else {
      let j = i;
      while (less(val, q[j - 1])) {
        q[j] = q[j - 1];
        j--;
      }
      q[j] = val;
    }
  }
}

function unguardedInsertionSort(q: Pair[], first: number, last: number): void {
  for (let i = first; i < last; i++) {
    const val = q[i];
    let j = i;
    while (less(val, q[j - 1])) {
      q[j] = q[j - 1];
      j--;
    }
    q[j] = val;
  }
}

/** Indices of `scores` in the order torch.argsort(-scores) gives on CPU. */
export function torchArgsortDesc(scores: ArrayLike<number>): number[] {
  const n = scores.length;
  const q: Pair[] = new Array(n);
  for (let i = 0; i < n; i++) q[i] = [-scores[i], i];
  if (n > 0) {
    introsortLoop(q, 0, n, 2 * (31 - Math.clz32(n)));
    if (n > 16) {
      insertionSort(q, 0, 16);
      unguardedInsertionSort(q, 16, n);
    } else insertionSort(q, 0, n);
  }
  return q.map((p) => p[1]);
}
