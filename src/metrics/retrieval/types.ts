/**
 * Shapes shared by the retrieval metric code. Query and doc ids are compared as trec_eval compares them
 * (bytes of UTF-8), so they are kept as JS strings and compared by code point (see order.ts).
 */
import type { PythonSumMode } from '../numeric/python-sum.js';

/** Query id -> (doc id -> integer relevance). Map order is kept (it decides mteb's summation order). */
export type Qrels = Map<string, Map<string, number>>;

/** Query id -> (doc id -> score). Map order = mteb's `results` dict order (MRR ties in mteb 1.x follow it). */
export type Run = Map<string, Map<string, number>>;

/**
 * The same run in columns: what the TREC reader produces, because 10^7 Map entries cost far more memory and
 * time than parallel arrays. `docIds[i]` / `scores[i]` in insertion order per query.
 */
export interface QueryRun {
  docIds: string[];
  scores: Float64Array;
}
export type ColumnRun = Map<string, QueryRun>;

export type RetrievalProtocol = 'mteb-1' | 'mteb-2';

/**
 * Which mteb 1.x release the 'mteb-1' protocol reproduces:
 * - '1.12.0': up to 1.12.7 — MRR = sum / len(qrels) rounded to 5 decimals, no nAUC keys.
 * - '1.12.8': 1.12.8 … 1.x (the published NV-Embed / e5 result files, mteb 1.12.75 and 1.20.0) — MRR = unrounded
 *   mean over evaluated queries, plus `nauc_*` keys.
 */
export type Mteb1Variant = '1.12.0' | '1.12.8';

/** How Python adds up per-query values before dividing (mteb ≥1.12.8 and 2.x call `sum()`; 1.12.0 `+=`). */
export type PythonSum = PythonSumMode;

export interface EvaluateOptions {
  /** Cutoffs, in the order mteb lists them; default 1,3,5,10,20,100,1000. */
  kValues?: number[];
  protocol: RetrievalProtocol;
  /** Drop doc == query from the run before anything else (mteb `ignore_identical_ids`). */
  ignoreIdenticalIds?: boolean;
  /** Only for protocol 'mteb-1'; default '1.12.0'. */
  mteb1Variant?: Mteb1Variant;
  /** Default 'naive' (CPython ≤ 3.11, and mteb 1.12.0 always). */
  pythonSum?: PythonSum;
  /** Compute the `nauc_*` abstention keys where the protocol writes them (default true). */
  nauc?: boolean;
}

/**
 * Which queries the means cover, for warnings (`metrics retrieval` prints them). Denominators, per protocol
 * (mteb 1.12.0 `RetrievalEvaluator.evaluate` + `utils.mrr`; 1.12.8–1.39.7 the same + `evaluate_custom`;
 * 2.x `retrieval_metrics.calculate_retrieval_scores`):
 * - trec_eval keys, `hit_rate_*`, `accuracy`, `nauc_*`: E = run queries that are qrels keys (pytrec_eval's
 *   output: it skips run queries absent from the qrels), in every version.
 * - `mrr_at_k`: 1.12.0 `len(qrels)` (also qrels queries absent from the run, and empty entries); 1.12.8+ and 2.x
 *   the number of run queries (mteb raises KeyError on a run query absent from the qrels; mteb-ts skips it, = E).
 * A qrels key with an empty judgement dict ({"q1": {}}) that is in the run is in E and scores 0 for every
 * measure, as does one whose judgements are all 0 (pytrec_eval's values for an empty entry are undefined:
 * it reads past its one-slot array, cvangysel/pytrec_eval#49; 0 is what trec_eval's definitions give).
 */
export interface RetrievalCoverage {
  /** |E|, the divisor of every key except 1.12.0's MRR. */
  evaluated: number;
  /** Run queries without a qrels entry: not evaluated (pytrec_eval skips them; mteb's MRR raises KeyError). */
  runQueriesNotInQrels: number;
  runQueriesNotInQrelsExample?: string;
  /** Qrels queries the run lacks: not evaluated (only mteb 1.12.0's MRR divides by them). */
  qrelsQueriesNotInRun: number;
  qrelsQueriesNotInRunExample?: string;
  /** Evaluated queries whose qrels entry is empty (they count as 0 everywhere). */
  emptyJudgements: number;
  emptyJudgementsExample?: string;
  /** What `mrr_at_k` was divided by. */
  mrrDenominator: number;
}

export interface RetrievalResult {
  /** Exactly mteb's keys for the protocol (without `main_score`, which the task adds), rounded as mteb rounds. */
  scores: Record<string, number>;
  /** Unrounded per-query values (keys `ndcg_at_10`, `mrr_at_10`, …) for the queries mteb averages over. */
  perQuery: Map<string, Record<string, number>>;
  /** Set by `evaluateRetrieval`. */
  coverage?: RetrievalCoverage;
}

export const DEFAULT_K_VALUES: readonly number[] = [1, 3, 5, 10, 20, 100, 1000];
