/**
 * mteb 2.x `max_over_subqueries` (MindSmallReranking): queries `<base>_<i>` are sub-queries of `<base>`;
 * a doc's score under the base is its maximum over the sub-queries, the base's qrels are those of its last
 * sub-query (they are all the same), and the usual metrics are computed on the merged run with keys prefixed
 * `max_over_subqueries_`.
 */
import { evaluateRetrieval, toColumns } from './evaluate.js';
import type { ColumnRun, EvaluateOptions, Qrels, RetrievalResult, Run } from './types.js';

/** mteb: `"_".join(key.split("_")[:-1])` — '' for an id without '_'. */
export function subqueryBase(qid: string): string {
  const i = qid.lastIndexOf('_');
  return i < 0 ? '' : qid.slice(0, i);
}

/**
 * Merged (qrels, run) keyed by base id. Groups and their order come from the non-empty qrels entries (mteb
 * passes the filtered qrels); a sub-query absent from the run contributes nothing (mteb would raise KeyError).
 */
export function mergeSubqueries(qrels: Qrels, run: Run | ColumnRun): { qrels: Qrels; run: Run } {
  const cols = toColumns(run, false);
  const groups = new Map<string, string[]>();
  for (const [qid, rels] of qrels) {
    if (rels.size === 0) continue;
    const base = subqueryBase(qid);
    let g = groups.get(base);
    if (!g) groups.set(base, (g = []));
    g.push(qid);
  }
  const newQrels: Qrels = new Map();
  const newRun: Run = new Map();
  for (const [base, subs] of groups) {
    const merged = new Map<string, number>();
    for (const sub of subs) {
      const q = cols.get(sub);
      if (!q) continue;
      for (let i = 0; i < q.docIds.length; i++) {
        const id = q.docIds[i];
        const s = q.scores[i];
        const old = merged.get(id);
        // Python max(score, old): old only if strictly greater.
        merged.set(id, old === undefined || !(old > s) ? s : old);
      }
    }
    newRun.set(base, merged);
    newQrels.set(base, qrels.get(subs[subs.length - 1]) as Map<string, number>);
  }
  return { qrels: newQrels, run: newRun };
}

/**
 * The `max_over_subqueries_*` keys. `ignoreIdenticalIds` is applied to the sub-query run first, as mteb pops
 * identical ids from `results` before the task-specific scores see it. Always mteb 2.x arithmetic.
 */
export function evaluateMaxOverSubqueries(
  qrels: Qrels,
  run: Run | ColumnRun,
  opts: Omit<EvaluateOptions, 'protocol'>,
): RetrievalResult {
  const popped = toColumns(run, opts.ignoreIdenticalIds ?? false);
  const merged = mergeSubqueries(qrels, popped);
  const res = evaluateRetrieval(merged.qrels, merged.run, { ...opts, protocol: 'mteb-2', ignoreIdenticalIds: false });
  const scores: Record<string, number> = {};
  for (const [k, v] of Object.entries(res.scores)) scores[`max_over_subqueries_${k}`] = v;
  return { scores, perQuery: res.perQuery };
}
