import type { EvalContext } from '../adapter.js';
import type { RerankingSpec, RetrievalSpec } from '../spec.js';
import type { RetrievalSplit } from '../../core/datasets.js';
import type { Matrix } from '../../core/matrix.js';
import { corpusText } from './corpus-text.js';

/**
 * mteb 2.x reranking in retrieval format: only each query's `top_ranked` candidates are scored (with the
 * model's similarity); the resulting run is then evaluated like retrieval.
 */
export async function rankCandidates(
  ctx: EvalContext<RetrievalSpec | RerankingSpec>,
  data: RetrievalSplit,
  q: { ids: string[] },
  qEmb: Matrix,
  passageRole: 'query' | 'passage',
  similarity: 'cosine' | 'dot',
): Promise<Map<string, Map<string, number>>> {
  const docIds: string[] = [];
  const seen = new Map<string, number>();
  for (const qid of q.ids) {
    for (const d of data.topRanked!.get(qid) ?? []) {
      if (!seen.has(d) && data.corpus.has(d)) {
        seen.set(d, docIds.length);
        docIds.push(d);
      }
    }
  }
  // Only the candidates' texts are read (one pass over a corpus that is not held in memory).
  const docs = await data.corpus.docsOf(docIds);
  const dEmb = await ctx.embed(docIds.map((d) => corpusText(docs.get(d)!)), passageRole, 'candidates');
  const dim = qEmb.dim;
  const norm = (m: Matrix, i: number) => {
    if (similarity === 'dot') return 1;
    let s = 0;
    for (let j = 0; j < dim; j++) s += m.data[i * dim + j] ** 2;
    return Math.max(Math.sqrt(s), 1e-12);
  };
  const run = new Map<string, Map<string, number>>();
  q.ids.forEach((qid, qi) => {
    const scores = new Map<string, number>();
    const qn = norm(qEmb, qi);
    for (const d of data.topRanked!.get(qid) ?? []) {
      const di = seen.get(d);
      if (di === undefined) continue;
      let s = 0;
      for (let j = 0; j < dim; j++) s += qEmb.data[qi * dim + j] * dEmb.data[di * dim + j];
      // float32 like torch: trec_eval compares float-rounded scores.
      scores.set(d, Math.fround(s / (qn * norm(dEmb, di))));
    }
    run.set(qid, scores);
  });
  return run;
}
