/**
 * scipy.stats.rankdata(method='average'): ties share the mean of the 1-based ranks they span. NaN input
 * propagates (all ranks NaN), as scipy's default nan_policy does.
 */
export function rankdataAverage(a: ArrayLike<number>): Float64Array {
  const n = a.length;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if (Number.isNaN(a[i])) return out.fill(NaN);
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => a[i] - a[j] || i - j);
  let start = 0;
  while (start < n) {
    let end = start + 1;
    while (end < n && a[order[end]] === a[order[start]]) end++;
    // ranks start+1 .. end averaged: .5 * (count[dense] + count[dense-1] + 1) in scipy's terms
    const r = 0.5 * (end + start + 1);
    for (let k = start; k < end; k++) out[order[k]] = r;
    start = end;
  }
  return out;
}
