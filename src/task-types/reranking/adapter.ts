import type { TaskAdapter } from '../adapter.js';
import type { RerankingSpec } from '../spec.js';
import { splitArgs } from '../context.js';
import { loadRetrievalForContext, scoreRetrievalSplit } from '../retrieval/adapter.js';
import { loadRerankingLegacySplit } from './load.js';
import { usesRetrievalFormat } from './format.js';
import { evaluateRerankingLegacy, rerankingRowScores } from './metrics.js';
import { gather, type Matrix } from '../../core/matrix.js';
import { itemsFromArray } from '../items.js';
import type { Ranking } from '../../output/predictions.js';

/**
 * The v1 rows' rankings for --save-predictions: query id = the row's index among the scored rows (as in
 * `.items.json`), doc ids `pos.<i>` / `neg.<i>` (the candidate's index in the row's positive / negative list),
 * scores = the similarities the metrics ranked (max over sub-queries).
 */
function legacyRanking(rows: { query: Matrix; candidates: Matrix; positives: number }[]): Ranking {
  const run = new Map<string, Map<string, number>>();
  rows.forEach((r, i) => {
    const s = rerankingRowScores(r.query, r.candidates, 'cosine');
    const docs = new Map<string, number>();
    for (let j = 0; j < s.length; j++) docs.set(j < r.positives ? `pos.${j}` : `neg.${j - r.positives}`, s[j]);
    run.set(String(i), docs);
  });
  return { run };
}

/**
 * Two protocols share the type: mteb 1.x scores each row's positives+negatives with sklearn AP and MRR@10
 * (MTEB(eng, v1)); mteb 2.x stores candidates as `top_ranked` and scores them as retrieval (MTEB(eng, v2)).
 */
export const rerankingAdapter: TaskAdapter<RerankingSpec> = {
  async evaluate(ctx) {
    if (usesRetrievalFormat(ctx.spec)) return scoreRetrievalSplit(ctx, await loadRetrievalForContext(ctx));

    const { rows } = await loadRerankingLegacySplit(...splitArgs(ctx));
    // mteb drops rows lacking positives or negatives before encoding anything.
    const kept = rows.filter((r: { positive: string[]; negative: string[] }) => r.positive.length > 0 && r.negative.length > 0);
    if (kept.length < rows.length) ctx.warn(`${rows.length - kept.length} rows without positives or negatives skipped (as mteb does)`);

    // String queries go through the query encoder; list-valued ones (MindSmall click histories) through the
    // corpus encoder, as mteb 1.x does.
    const strQueries: string[] = [];
    const subQueries: string[] = [];
    const docs: string[] = [];
    for (const r of kept) {
      if (Array.isArray(r.query)) subQueries.push(...r.query);
      else strQueries.push(r.query);
      docs.push(...r.positive, ...r.negative);
    }
    const qEmb = await ctx.embed(strQueries, 'query', 'queries');
    const sqEmb = await ctx.embed(subQueries, 'passage', 'sub-queries');
    const dEmb = await ctx.embed(docs, 'passage', 'candidates');
    let qi = 0, sqi = 0, di = 0;
    const candidates: Matrix[] = [];
    const input = kept.map((r) => {
      let query;
      if (Array.isArray(r.query)) {
        query = gather(sqEmb, r.query.map((_, k) => sqi + k));
        sqi += r.query.length;
      } else {
        query = gather(qEmb, [qi++]);
      }
      if (ctx.savePredictions) candidates.push(gather(dEmb, [...r.positive, ...r.negative].map((_, k) => di + k)));
      const positive = gather(dEmb, r.positive.map((_, k) => di + k));
      di += r.positive.length;
      const negative = gather(dEmb, r.negative.map((_, k) => di + k));
      di += r.negative.length;
      return { query, positive, negative };
    });
    const { scores, perItem } = evaluateRerankingLegacy(input, { k: 10 });
    const ranking = ctx.savePredictions
      ? legacyRanking(input.map((r, i) => ({ query: r.query, candidates: candidates[i], positives: r.positive.rows })))
      : undefined;
    // Keyed by the main score: `map` is the mean of these per-row APs, so paired tests can use them.
    return { scores, items: itemsFromArray('map', perItem), ranking };
  },
};
