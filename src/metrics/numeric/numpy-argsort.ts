/**
 * numpy's `np.argsort` for a 1-d float array, with numpy's own tie order (numpy/_core/src/npysort/quicksort.cpp,
 * heapsort.cpp; numpy 1.24, what scikit-learn 1.2.1 runs on). scikit-learn picks MiniBatchKMeans' clusters to
 * reassign with `np.argsort(weight_sums)`: where weights tie exactly, which clusters move depends on this
 * algorithm's unstable order, so a stable sort gives other labels (issue 21). Goldens:
 * fixtures/golden/numeric/argsort.json (make_argsort.py, numpy 1.24.2).
 *
 * `quicksort` (numpy's default) is introsort: median-of-three quicksort down to partitions of 16 or fewer (pr - pl <= 15)
 * elements (then insertion sort), falling back to heapsort when the recursion depth passes 2·floor(log2 n).
 * NaN sorts last (numpy's `a < b || (b != b && a == a)`). numpy ≥ 1.25/1.26 on AVX-512 machines dispatch float
 * argsort to x86-simd-sort, whose tie order differs; this port is the portable path every other machine runs.
 */
export type NumpySortKind = 'quicksort' | 'heapsort';

const SMALL_QUICKSORT = 15;

function less(a: number, b: number): boolean {
  return a < b || (b !== b && a === a);
}

/** floor(log2(n)) for n >= 1 (numpy's npy_get_msb). */
function msb(n: number): number {
  let depth = 0;
  while ((n = Math.floor(n / 2)) > 0) depth++;
  return depth;
}

/** The indices that sort `v` ascending, in numpy's order for `kind`. */
export function numpyArgsort(v: ArrayLike<number>, kind: NumpySortKind = 'quicksort'): Int32Array {
  const idx = new Int32Array(v.length);
  for (let i = 0; i < idx.length; i++) idx[i] = i;
  if (kind === 'heapsort') heapsort(v, idx, 0, idx.length);
  else introsort(v, idx);
  return idx;
}

/** numpy's aheapsort_ on idx[start, start + n): a max-heap over 1-based positions. */
function heapsort(v: ArrayLike<number>, idx: Int32Array, start: number, n: number): void {
  const a = (i: number) => idx[start + i - 1];
  const set = (i: number, x: number) => (idx[start + i - 1] = x);
  let i: number;
  let j: number;
  let tmp: number;
  for (let l = n >> 1; l > 0; --l) {
    tmp = a(l);
    for (i = l, j = l << 1; j <= n; ) {
      if (j < n && less(v[a(j)], v[a(j + 1)])) j += 1;
      if (less(v[tmp], v[a(j)])) {
        set(i, a(j));
        i = j;
        j += j;
      } else break;
    }
    set(i, tmp);
  }
  for (; n > 1; ) {
    tmp = a(n);
    set(n, a(1));
    n -= 1;
    for (i = 1, j = 2; j <= n; ) {
      if (j < n && less(v[a(j)], v[a(j + 1)])) j++;
      if (less(v[tmp], v[a(j)])) {
        set(i, a(j));
        i = j;
        j += j;
      } else break;
    }
    set(i, tmp);
  }
}

/** numpy's aquicksort_: positions are indices into `idx`; the explicit stack mirrors numpy's. */
function introsort(v: ArrayLike<number>, idx: Int32Array): void {
  const num = idx.length;
  if (num < 2) return;
  const swap = (p: number, q: number) => {
    const t = idx[p];
    idx[p] = idx[q];
    idx[q] = t;
  };
  let pl = 0;
  let pr = num - 1;
  const stack: number[] = [];
  const depths: number[] = [];
  let cdepth = msb(num) * 2;
  for (;;) {
    if (cdepth < 0) {
      heapsort(v, idx, pl, pr - pl + 1);
    } else {
      while (pr - pl > SMALL_QUICKSORT) {
        const pm = pl + ((pr - pl) >> 1);
        if (less(v[idx[pm]], v[idx[pl]])) swap(pm, pl);
        if (less(v[idx[pr]], v[idx[pm]])) swap(pr, pm);
        if (less(v[idx[pm]], v[idx[pl]])) swap(pm, pl);
        const vp = v[idx[pm]];
        let pi = pl;
        let pj = pr - 1;
        swap(pm, pj);
        for (;;) {
          do ++pi;
          while (less(v[idx[pi]], vp));
          do --pj;
          while (less(vp, v[idx[pj]]));
          if (pi >= pj) break;
          swap(pi, pj);
        }
        swap(pi, pr - 1);
        // The larger partition waits on the stack; the loop goes on with the smaller one.
        if (pi - pl < pr - pi) {
          stack.push(pi + 1, pr);
          pr = pi - 1;
        } else {
          stack.push(pl, pi - 1);
          pl = pi + 1;
        }
        depths.push(--cdepth);
      }
      for (let p = pl + 1; p <= pr; ++p) {
        const vi = idx[p];
        const x = v[vi];
        let q = p;
        while (q > pl && less(x, v[idx[q - 1]])) {
          idx[q] = idx[q - 1];
          q--;
        }
        idx[q] = vi;
      }
    }
    if (!stack.length) break;
    pr = stack.pop()!;
    pl = stack.pop()!;
    cdepth = depths.pop()!;
  }
}
