import { describe, test, expect } from '@jest/globals';
import { evaluateRetrieval } from '../../../src/metrics/retrieval/evaluate.js';
import type { Qrels, Run } from '../../../src/metrics/retrieval/types.js';
import { coverageWarnings } from '../../../src/cli/commands/metrics-retrieval.js';

/**
 * What each mean is divided by, per protocol variant (docs/protocol.md "Retrieval denominators"):
 * - trec_eval keys (+ hit_rate/accuracy): E = run queries that are qrels keys (pytrec_eval's `evaluate` output),
 *   empty judgement dicts included.
 * - MRR: mteb 1.12.0 `utils.mrr`: sum / len(qrels); 1.12.8+ (`evaluate_custom`, output_type "all") and 2.x
 *   (`retrieval_metrics.mrr`, then `sum(v) / len(v)`): the run's queries.
 *
 * Case: qrels q1 {} (empty), q2 {d1: 1, d9: 1}, q3 {d2: 0} (all zero), q4 {d3: 1} (not in the run);
 * run (in this order) q2 {d2 .8, d1 .4, d3 .1}, q1 {d1 .9, d2 .5}, q3 {d2 .9, d1 .3}, q5 {d1 1} (not in qrels).
 * E = [q2, q1, q3]. Only q2 scores: its first relevant doc d1 is at rank 2 of 3; num_rel = 2 (d9 unretrieved).
 *   ndcg@3 = (1/log2 3) / (1 + 1/log2 3) = 0.38685280723454163 → /3 = 0.12895 (5 decimals)
 *   map@3 = (1/2)/2 = 0.25 → 0.08333; recall@3 = 0.5 → 0.16667; P@3 = 1/3 → 0.11111; P@10 = 0.1 → 0.03333
 *   success@3 = 1 → 0.33333
 *   MRR@3: q2 0.5, q1 0, q3 0 → 1.12.8+/2.x: 0.5/3 = 0.16666666666666666; 1.12.0: round(0.5/4, 5) = 0.125
 * The MRR values were checked by running mteb's own `mrr` functions (1.12.0 utils.py, 1.39.7 utils.py with
 * output_type="all", HEAD retrieval_metrics.py) in Python 3 on these dicts without q5 (with q5 they raise
 * KeyError: 'q5'):
 *   1.12.0 {'MRR@1': 0.0, 'MRR@3': 0.125, 'MRR@10': 0.125}
 *   1.39.7 and HEAD {'MRR@1': 0.0, 'MRR@3': 0.16666666666666666, 'MRR@10': 0.16666666666666666}
 */
const qrels: Qrels = new Map([
  ['q1', new Map<string, number>()],
  ['q2', new Map([['d1', 1], ['d9', 1]])],
  ['q3', new Map([['d2', 0]])],
  ['q4', new Map([['d3', 1]])],
]);
const run: Run = new Map([
  ['q2', new Map([['d2', 0.8], ['d1', 0.4], ['d3', 0.1]])],
  ['q1', new Map([['d1', 0.9], ['d2', 0.5]])],
  ['q3', new Map([['d2', 0.9], ['d1', 0.3]])],
  ['q5', new Map([['d1', 1]])],
]);
const kValues = [1, 3, 10];
const trecKeys = {
  ndcg_at_1: 0,
  ndcg_at_3: 0.12895,
  ndcg_at_10: 0.12895,
  map_at_1: 0,
  map_at_3: 0.08333,
  map_at_10: 0.08333,
  recall_at_1: 0,
  recall_at_3: 0.16667,
  recall_at_10: 0.16667,
  precision_at_1: 0,
  precision_at_3: 0.11111,
  precision_at_10: 0.03333,
};

describe('retrieval denominators with empty, all-zero, unmatched and missing queries', () => {
  test('mteb-1 1.12.0: trec keys over E (3), MRR over len(qrels) (4), rounded', () => {
    const r = evaluateRetrieval(qrels, run, { protocol: 'mteb-1', mteb1Variant: '1.12.0', kValues });
    expect(r.scores).toEqual({ ...trecKeys, mrr_at_1: 0, mrr_at_3: 0.125, mrr_at_10: 0.125 });
    expect([...r.perQuery.keys()]).toEqual(['q2', 'q1', 'q3']);
    expect(r.coverage).toEqual({
      evaluated: 3,
      runQueriesNotInQrels: 1,
      runQueriesNotInQrelsExample: 'q5',
      qrelsQueriesNotInRun: 1,
      qrelsQueriesNotInRunExample: 'q4',
      emptyJudgements: 1,
      emptyJudgementsExample: 'q1',
      mrrDenominator: 4,
    });
  });

  test('mteb-1 1.12.8+: MRR is the unrounded mean over the run queries in the qrels, empty entry included', () => {
    const r = evaluateRetrieval(qrels, run, { protocol: 'mteb-1', mteb1Variant: '1.12.8', kValues, nauc: false });
    expect(r.scores).toEqual({ ...trecKeys, mrr_at_1: 0, mrr_at_3: 0.16666666666666666, mrr_at_10: 0.16666666666666666 });
    expect(r.coverage?.mrrDenominator).toBe(3);
    // the empty entry and the all-zero one are evaluated, with 0 everywhere
    for (const q of ['q1', 'q3']) expect(Object.values(r.perQuery.get(q)!).every((v) => v === 0)).toBe(true);
    expect(r.perQuery.get('q2')!.ndcg_at_3).toBe(0.38685280723454163);
  });

  test('mteb-2: same denominators; hit_rate and accuracy over E', () => {
    const r = evaluateRetrieval(qrels, run, { protocol: 'mteb-2', kValues, nauc: false });
    expect(r.scores).toEqual({
      ...trecKeys,
      accuracy: 0,
      mrr_at_1: 0,
      mrr_at_3: 0.16666666666666666,
      mrr_at_10: 0.16666666666666666,
      hit_rate_at_1: 0,
      hit_rate_at_3: 0.33333,
      hit_rate_at_10: 0.33333,
    });
  });

  test('the issue case: {"q1": {}} in qrels and run — MRR divides by 2 like mteb, not by 1', () => {
    const q: Qrels = new Map([
      ['q1', new Map<string, number>()],
      ['q2', new Map([['d', 1]])],
    ]);
    const rn: Run = new Map([
      ['q1', new Map([['d', 1]])],
      ['q2', new Map([['d', 1]])],
    ]);
    for (const protocol of ['mteb-1', 'mteb-2'] as const) {
      const r = evaluateRetrieval(q, rn, { protocol, mteb1Variant: '1.12.8', kValues: [1], nauc: false });
      expect(r.scores.mrr_at_1).toBe(0.5);
      expect(r.scores.ndcg_at_1).toBe(0.5);
    }
    expect(evaluateRetrieval(q, rn, { protocol: 'mteb-1', mteb1Variant: '1.12.0', kValues: [1] }).scores.mrr_at_1).toBe(0.5);
  });

  test('nauc keys are computed over E (the empty entry is one of the 3 points)', () => {
    const withNauc = evaluateRetrieval(qrels, run, { protocol: 'mteb-2', kValues: [3] });
    const without = evaluateRetrieval(new Map([...qrels].filter(([k]) => k !== 'q1')), run, { protocol: 'mteb-2', kValues: [3] });
    expect(withNauc.coverage?.evaluated).toBe(3);
    expect(without.coverage?.evaluated).toBe(2);
    expect(withNauc.scores.nauc_mrr_at_3_max).not.toBe(without.scores.nauc_mrr_at_3_max);
  });

  test('metrics retrieval warns with counts and an example id for each kind of query left out or counted as 0', () => {
    const legacy = evaluateRetrieval(qrels, run, { protocol: 'mteb-1', mteb1Variant: '1.12.0', kValues });
    expect(coverageWarnings(legacy.coverage)).toEqual([
      '1 run query has no qrels entry and is not evaluated (as pytrec_eval/trec_eval; mteb\'s MRR would raise KeyError), e.g. "q5"',
      '1 qrels query is not in the run and not evaluated (mteb 1.12.0 MRR still divides by them), e.g. "q4"',
      '1 evaluated query has an empty qrels entry and counts as 0 in every mean (mteb 2 drops such queries before evaluating; pytrec_eval\'s values for them are undefined, cvangysel/pytrec_eval#49), e.g. "q1"',
    ]);
    const clean = evaluateRetrieval(new Map([['q2', qrels.get('q2')!]]), new Map([['q2', run.get('q2')!]]), { protocol: 'mteb-2', kValues });
    expect(coverageWarnings(clean.coverage)).toEqual([]);
  });
});
