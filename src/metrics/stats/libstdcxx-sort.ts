/**
 * The pieces of libstdc++'s `std::sort` and `std::nth_element` (bits/stl_algo.h, GCC's) that torch's CPU
 * sort and topk run, generic over the comparator. Which of several tied elements ends where depends on these
 * exact steps (median-of-3 pivot, unguarded partition, insertion sort, heapsort fallback), so torch's tie
 * order is reproduced only by following them literally.
 */

/** Strict weak ordering: true when x goes before y. */
export type Less<T> = (x: T, y: T) => boolean;

export function swap<T>(q: T[], i: number, j: number): void {
  const t = q[i];
  q[i] = q[j];
  q[j] = t;
}

export function moveMedianToFirst<T>(q: T[], result: number, a: number, b: number, c: number, less: Less<T>): void {
  if (less(q[a], q[b])) {
    if (less(q[b], q[c])) swap(q, result, b);
    else if (less(q[a], q[c])) swap(q, result, c);
    else swap(q, result, a);
  } else if (less(q[a], q[c])) swap(q, result, a);
  else if (less(q[b], q[c])) swap(q, result, c);
  else swap(q, result, b);
}

export function unguardedPartition<T>(q: T[], first: number, last: number, pivot: number, less: Less<T>): number {
  for (;;) {
    while (less(q[first], q[pivot])) first++;
    last--;
    while (less(q[pivot], q[last])) last--;
    if (!(first < last)) return first;
    swap(q, first, last);
    first++;
  }
}

function adjustHeap<T>(q: T[], first: number, hole: number, len: number, value: T, less: Less<T>): void {
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

function heapSort<T>(q: T[], first: number, last: number, less: Less<T>): void {
  const n = last - first;
  if (n >= 2) {
    for (let parent = Math.floor((n - 2) / 2); parent >= 0; parent--) adjustHeap(q, first, parent, n, q[first + parent], less);
  }
  while (last - first > 1) {
    last--;
    const value = q[last];
    q[last] = q[first];
    adjustHeap(q, first, 0, last - first, value, less);
  }
}

function introsortLoop<T>(q: T[], first: number, last: number, depth: number, less: Less<T>): void {
  while (last - first > 16) {
    if (depth === 0) {
      heapSort(q, first, last, less);
      return;
    }
    depth--;
    const mid = first + Math.floor((last - first) / 2);
    moveMedianToFirst(q, first, first + 1, mid, last - 1, less);
    const cut = unguardedPartition(q, first + 1, last, first, less);
    introsortLoop(q, cut, last, depth, less);
    last = cut;
  }
}

export function insertionSort<T>(q: T[], first: number, last: number, less: Less<T>): void {
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

function unguardedInsertionSort<T>(q: T[], first: number, last: number, less: Less<T>): void {
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

/** `std::sort(first, last, less)`: introsort to runs of 16, then the final insertion sort. */
export function stdSort<T>(q: T[], less: Less<T>): void {
  const n = q.length;
  if (n === 0) return;
  introsortLoop(q, 0, n, 2 * (31 - Math.clz32(n)), less);
  if (n > 16) {
    insertionSort(q, 0, 16, less);
    unguardedInsertionSort(q, 16, n, less);
  } else insertionSort(q, 0, n, less);
}
