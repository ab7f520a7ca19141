import type { RerankingSpec } from '../spec.js';

/**
 * The one rule for which layout a Reranking task's data is read in, used by its adapter, its loader entry and
 * `download`'s file selection alike. mteb decides it by the task, never by sniffing the repo: mteb 1.x
 * (RerankingEvaluator) reads rows `query, positive, negative`; mteb 2.x (AbsTaskReranking on AbsTaskRetrieval)
 * reads the retrieval format (corpus, queries, qrels, top_ranked) and scores it as retrieval. So the protocol
 * decides, even where a repo holds both layouts (older copies looked for `corpus`/`top_ranked` configs and could
 * download one layout while the adapter read the other).
 */
export function usesRetrievalFormat(spec: Pick<RerankingSpec, 'protocol'>): boolean {
  return spec.protocol === 'mteb-2';
}
