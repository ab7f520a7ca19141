/**
 * Retrieval scores exactly as mteb reports them: trec_eval measures (via pytrec_eval) averaged over the
 * evaluated queries and rounded to 5 decimals, plus mteb's own MRR and, where the protocol has them, hit
 * rate, `accuracy` and the `nauc_*` abstention keys. See docs in types.ts for the protocol variants.
 */
import { MtebError } from '../../core/errors.js';
import { pythonRound } from '../rounding.js';
import { firstRelevantRank, reciprocalRankAt, type MrrTieBreak } from './mrr.js';
import {
  abstentionCurve,
  CONFIDENCE_FUNCTIONS,
  confidenceScores,
  naucFromCurves,
  stableArgsort,
} from './nauc.js';
import { pythonSum } from '../numeric/python-sum.js';
import { MAP, N_TREC_METRICS, NDCG, PREC, prepareCutoffs, RECALL, SUCCESS, TrecScratch, trecQueryMetrics } from './trec.js';
import {
  DEFAULT_K_VALUES,
  type ColumnRun,
  type EvaluateOptions,
  type QueryRun,
  type Qrels,
  type RetrievalResult,
  type Run,
} from './types.js';

const TREC_KEYS: [number, string][] = [
  [NDCG, 'ndcg'],
  [MAP, 'map'],
  [RECALL, 'recall'],
  [PREC, 'precision'],
];

export function validateKValues(k: number[]): void {
  if (k.length === 0) throw new MtebError('E_USAGE', 'k values: at least one cutoff is needed', { field: 'k' });
  const seen = new Set<number>();
  for (const v of k) {
    if (!Number.isInteger(v) || v < 1) throw new MtebError('E_USAGE', `k values: ${v} is not a positive integer`, { field: 'k' });
    if (seen.has(v)) throw new MtebError('E_USAGE', `k values: duplicate cutoff ${v} (trec_eval rejects duplicates)`, { field: 'k' });
    seen.add(v);
  }
}

/** The run as columns, after mteb's `ignore_identical_ids` pop; rejects NaN scores (trec_eval's order is undefined on them). */
export function toColumns(run: Run | ColumnRun, ignoreIdenticalIds: boolean): ColumnRun {
  const out: ColumnRun = new Map();
  for (const [qid, docs] of run) {
    let q: QueryRun;
    if (docs instanceof Map) {
      const ids: string[] = [];
      const scores = new Float64Array(docs.size);
      for (const [id, s] of docs) {
        if (ignoreIdenticalIds && id === qid) continue;
        scores[ids.length] = s;
        ids.push(id);
      }
      q = { docIds: ids, scores: ids.length === docs.size ? scores : scores.slice(0, ids.length) };
    } else {
      q = docs;
      if (ignoreIdenticalIds && docs.docIds.includes(qid)) {
        const ids: string[] = [];
        const scores: number[] = [];
        docs.docIds.forEach((id, i) => {
          if (id !== qid) {
            ids.push(id);
            scores.push(docs.scores[i]);
          }
        });
        q = { docIds: ids, scores: Float64Array.from(scores) };
      }
    }
    for (let i = 0; i < q.scores.length; i++) {
      const s = q.scores[i];
      if (typeof s !== 'number' || Number.isNaN(s)) {
        throw new MtebError('E_BAD_VALUE', `score of doc "${q.docIds[i]}" is ${String(s)}, not a number`, {
          field: `run["${qid}"]["${q.docIds[i]}"]`,
        });
      }
    }
    out.set(qid, q);
  }
  return out;
}

/** pytrec_eval accepts only int relevance (mteb casts with int()); anything else is a data error. */
export function validateQrels(qrels: Qrels): void {
  for (const [qid, docs] of qrels) {
    for (const [doc, rel] of docs) {
      if (!Number.isInteger(rel)) {
        throw new MtebError('E_BAD_VALUE', `relevance ${String(rel)} is not an integer`, { field: `qrels["${qid}"]["${doc}"]` });
      }
    }
  }
}

export function evaluateRetrieval(qrels: Qrels, run: Run | ColumnRun, opts: EvaluateOptions): RetrievalResult {
  const kValues = opts.kValues ? opts.kValues.slice() : DEFAULT_K_VALUES.slice();
  validateKValues(kValues);
  if (opts.protocol !== 'mteb-1' && opts.protocol !== 'mteb-2') {
    throw new MtebError('E_USAGE', `unknown protocol "${String(opts.protocol)}" (mteb-1 or mteb-2)`, { field: 'protocol' });
  }
  const v2 = opts.protocol === 'mteb-2';
  const legacy = !v2 && (opts.mteb1Variant ?? '1.12.0') === '1.12.0';
  // mteb 1.12.0 accumulates with `+=`; later versions call sum().
  const sumMode = legacy ? 'naive' : (opts.pythonSum ?? 'naive');
  const withNauc = !legacy && opts.nauc !== false;
  const tie: MrrTieBreak = v2 ? 'docid' : 'stable';

  validateQrels(qrels);
  const cols = toColumns(run, opts.ignoreIdenticalIds ?? false);

  // The evaluated queries E: the run's queries (in run order) that are keys of the qrels — pytrec_eval's
  // `evaluate` output (it skips only run queries absent from the qrels), which every mean divides by. A key with
  // an empty judgement dict is in E and scores 0 everywhere (see types.ts `RetrievalResult.emptyJudgements`).
  const qids: string[] = [];
  const notInQrels: string[] = [];
  const emptyJudgements: string[] = [];
  for (const qid of cols.keys()) {
    const rels = qrels.get(qid);
    if (!rels) {
      notInQrels.push(qid);
      continue;
    }
    if (rels.size === 0) emptyJudgements.push(qid);
    qids.push(qid);
  }
  const nq = qids.length;
  if (nq === 0) {
    throw new MtebError('E_BAD_VALUE', 'no query of the run is in the qrels (nothing to average; are the query ids the same?)');
  }

  const nk = kValues.length;
  const cut = prepareCutoffs(kValues);
  const scratch = new TrecScratch();
  const buf = new Float64Array(N_TREC_METRICS * nk);
  // values[m * nk + ki][query]
  const values: Float64Array[] = Array.from({ length: N_TREC_METRICS * nk }, () => new Float64Array(nq));
  const mrr: Float64Array[] = Array.from({ length: nk }, () => new Float64Array(nq));

  for (let q = 0; q < nq; q++) {
    const qid = qids[q];
    const { docIds, scores } = cols.get(qid) as QueryRun;
    const rels = qrels.get(qid) as Map<string, number>;
    trecQueryMetrics(docIds, scores, rels, cut, scratch, buf);
    for (let j = 0; j < buf.length; j++) values[j][q] = buf[j];
    const rank = firstRelevantRank(docIds, scores, rels, tie);
    for (let ki = 0; ki < nk; ki++) mrr[ki][q] = reciprocalRankAt(rank, kValues[ki]);
  }

  const mean5 = (v: Float64Array) => pythonRound(pythonSum(v, sumMode) / nq, 5);
  const scores: Record<string, number> = {};
  for (const [m, name] of TREC_KEYS) {
    for (let ki = 0; ki < nk; ki++) {
      scores[`${name}_at_${kValues[ki]}`] = mean5(values[m * nk + ki]);
    }
    if (v2 && m === RECALL && kValues.includes(1)) scores.accuracy = scores.recall_at_1;
  }
  // MRR: mteb 1.12.0 `utils.mrr` divides the sum over the run's queries by len(qrels) (every key, judged or not,
  // in the run or not) and rounds; 1.12.8+ and 2.x average the per-query list over the run's queries (= E: mteb
  // raises KeyError on a run query absent from the qrels, which we skip as pytrec_eval does).
  for (let ki = 0; ki < nk; ki++) {
    const key = `mrr_at_${kValues[ki]}`;
    if (legacy) scores[key] = pythonRound(pythonSum(mrr[ki], 'naive') / qrels.size, 5);
    else scores[key] = pythonSum(mrr[ki], sumMode) / nq;
  }
  if (withNauc) addNauc(scores, qids, cols, kValues, values, mrr);
  if (v2) {
    for (let ki = 0; ki < nk; ki++) scores[`hit_rate_at_${kValues[ki]}`] = mean5(values[SUCCESS * nk + ki]);
  }

  const perQuery = new Map<string, Record<string, number>>();
  for (let q = 0; q < nq; q++) {
    const rec: Record<string, number> = {};
    for (const [m, name] of TREC_KEYS) for (let ki = 0; ki < nk; ki++) rec[`${name}_at_${kValues[ki]}`] = values[m * nk + ki][q];
    for (let ki = 0; ki < nk; ki++) rec[`mrr_at_${kValues[ki]}`] = mrr[ki][q];
    if (v2) for (let ki = 0; ki < nk; ki++) rec[`hit_rate_at_${kValues[ki]}`] = values[SUCCESS * nk + ki][q];
    perQuery.set(qids[q], rec);
  }
  const notEvaluated = notInQrels.length;
  let qrelsNotInRun = 0;
  let qrelsNotInRunExample: string | undefined;
  for (const qid of qrels.keys()) {
    if (!cols.has(qid)) {
      if (qrelsNotInRun++ === 0) qrelsNotInRunExample = qid;
    }
  }
  return {
    scores,
    perQuery,
    coverage: {
      evaluated: nq,
      runQueriesNotInQrels: notEvaluated,
      runQueriesNotInQrelsExample: notInQrels[0],
      qrelsQueriesNotInRun: qrelsNotInRun,
      qrelsQueriesNotInRunExample: qrelsNotInRunExample,
      emptyJudgements: emptyJudgements.length,
      emptyJudgementsExample: emptyJudgements[0],
      mrrDenominator: legacy ? qrels.size : nq,
    },
  };
}

/** `nauc_<metric>_at_<k>_<max|std|diff1>` in mteb's key order: ndcg, map, recall, precision, then mrr. */
function addNauc(
  scores: Record<string, number>,
  qids: string[],
  cols: ColumnRun,
  kValues: number[],
  values: Float64Array[],
  mrr: Float64Array[],
): void {
  const nq = qids.length;
  const conf = CONFIDENCE_FUNCTIONS.map(() => new Float64Array(nq));
  for (let q = 0; q < nq; q++) {
    const c = confidenceScores((cols.get(qids[q]) as QueryRun).scores);
    for (let f = 0; f < c.length; f++) conf[f][q] = c[f];
  }
  const confOrder = conf.map(stableArgsort);
  const nk = kValues.length;
  const series: [string, Float64Array][] = [];
  for (const [m, name] of TREC_KEYS) for (let ki = 0; ki < nk; ki++) series.push([`${name}_at_${kValues[ki]}`, values[m * nk + ki]]);
  for (let ki = 0; ki < nk; ki++) series.push([`mrr_at_${kValues[ki]}`, mrr[ki]]);
  for (const [key, metric] of series) {
    const oracle = abstentionCurve(stableArgsort(metric), metric);
    CONFIDENCE_FUNCTIONS.forEach((fct, f) => {
      scores[`nauc_${key}_${fct}`] = naucFromCurves(abstentionCurve(confOrder[f], metric), oracle);
    });
  }
}
