/**
 * torch.argsort(-x) on CPU (torch 1.13, libstdc++), the ranking mteb 1.x's legacy reranking MRR uses.
 * torch's default sort is not stable: ATen runs std::sort (introsort: median-of-3 quicksort down to 16
 * elements, heapsort past 2·log2(n) levels, final insertion sort) over (key, index) pairs with keys −x,
 * so tied scores come out in an order that depends on all values. This reproduces it step by step; it
 * matched torch 1.13 on 3 200 tie-heavy random vectors (n up to 2 000, see fixtures/golden/reranking).
 */
import { stdSort } from './libstdcxx-sort.js';

type Pair = [number, number];

// ATen KeyValueCompAsc: NaN sorts last.
function less(x: Pair, y: Pair): boolean {
  return (!Number.isNaN(x[0]) && Number.isNaN(y[0])) || x[0] < y[0];
}

/** Indices of `scores` in the order torch.argsort(-scores) gives on CPU. */
export function torchArgsortDesc(scores: ArrayLike<number>): number[] {
  const n = scores.length;
  const q: Pair[] = new Array(n);
  for (let i = 0; i < n; i++) q[i] = [-scores[i], i];
  stdSort(q, less);
  return q.map((p) => p[1]);
}
