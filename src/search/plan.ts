/**
 * How deep to search and what to skip so the run matches a given mteb release (mteb-protocol.md §1.1):
 * - mteb ≤ 1.12.52 skipped any hit whose doc id equals the query id *during* search (heap of top_k), so the
 *   run still holds top_k other documents: search k with excludeSelf.
 * - mteb ≥ 1.12.53 and 2.x search plain top_k and only then pop doc == query when the task sets
 *   ignore_identical_ids, leaving k-1 documents for those queries. Searching k+1 here would add one document
 *   mteb never had and change k=1000 metrics, so we search exactly top_k and let the metrics pop the self-hit.
 */
export function retrievalSearchPlan(opts: { topK: number; ignoreIdenticalIds: boolean; mtebVersion?: string }): {
  k: number;
  excludeSelf: boolean;
} {
  if (opts.mtebVersion && versionLe(opts.mtebVersion, '1.12.52')) return { k: opts.topK, excludeSelf: true };
  return { k: opts.topK, excludeSelf: false };
}

function versionLe(a: string, b: string): boolean {
  const pa = a.split('.').map((x) => parseInt(x, 10) || 0);
  const pb = b.split('.').map((x) => parseInt(x, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d < 0;
  }
  return true;
}
