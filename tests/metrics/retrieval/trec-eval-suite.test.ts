/**
 * trec_eval 9.0.8's own test inputs (test/qrels.test, qrels.rel_level, results.test, results.trunc, copied into
 * fixtures/golden/retrieval/trec_eval/) against the values its full-precision build (%.17g) prints: per query
 * and "all", ndcg_cut / map_cut / recall / P / success at mteb's cutoffs, plus recip_rank. Goldens:
 * fixtures/golden/retrieval/generated/make_goldens.ts.
 *
 * What mteb-ts does not represent (on purpose: mteb calls pytrec_eval with its defaults):
 * - relevance_level (trec_eval -l): fixed at 1. The "-l2" case below shows which measures it changes.
 * - -c (average over every qrels query, 0 for those without a run) and -M (max docs per query): mteb averages over
 *   the run's judged queries and passes whole runs; the goldens are made without them (the quicktest's
 *   out.test.aqc/aqcM use them, so their "all" lines differ from ours, their per-query values do not).
 */
import { describe, test, expect } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { metricsCliPerQuery } from './metrics-cli.js';
import { evaluateRetrieval } from '../../../src/metrics/retrieval/evaluate.js';
import type { Qrels, Run } from '../../../src/metrics/retrieval/types.js';
import { TREC_K, compareWithTrec, goldenValue, type GoldenCase, type GoldenFile } from './trec-shapes.js';

const DIR = new URL('../../../fixtures/golden/retrieval/trec_eval/', import.meta.url);
type SuiteCase = GoldenCase & { qrels: string; run: string; trec_eval_args: string[] };
const suite = JSON.parse(readFileSync(new URL('suite.json', DIR), 'utf8')) as Omit<GoldenFile, 'cases'> & { cases: SuiteCase[] };
const path = (f: string) => fileURLToPath(new URL(f, DIR));

/** Plain readers, independent of src/metrics/retrieval/readers.ts (the CLI test below goes through those). */
function readTrecQrels(f: string): Qrels {
  const q: Qrels = new Map();
  for (const line of readFileSync(path(f), 'utf8').split('\n')) {
    const x = line.trim().split(/\s+/);
    if (x.length < 4) continue;
    if (!q.has(x[0])) q.set(x[0], new Map());
    q.get(x[0])!.set(x[2], Number.parseInt(x[3], 10));
  }
  return q;
}
function readTrecRun(f: string): Run {
  const r: Run = new Map();
  for (const line of readFileSync(path(f), 'utf8').split('\n')) {
    const x = line.trim().split(/\s+/);
    if (x.length < 6) continue;
    if (!r.has(x[0])) r.set(x[0], new Map());
    r.get(x[0])!.set(x[2], Number(x[4])); // atof and Number are both correctly rounded
  }
  return r;
}


const plain = suite.cases.filter((c) => !c.trec_eval_args.includes('-l'));
const level2 = suite.cases.find((c) => c.trec_eval_args.includes('-l'))!;

describe("trec_eval 9.0.8's test files", () => {
  test('the goldens hold the expected cases and measures', () => {
    expect(plain.map((c) => c.name)).toEqual(['qrels.test+results.test', 'qrels.test+results.trunc', 'qrels.rel_level+results.test']);
    expect(plain.map((c) => c.qids)).toEqual([['301', '302', '303'], ['301', '303'], ['301', '302', '303']]);
    expect(suite.measures.length).toBe(36);
    // spot values against the stock build's test/out.test.aq and out.test.aql (4 decimals)
    expect(goldenValue(plain[0], 'P_10', 0)).toBe(0.2);
    expect(goldenValue(plain[0], 'ndcg_cut_10', 0).toFixed(4)).toBe('0.1518');
    expect(goldenValue(plain[0], 'recip_rank', 2)).toBe(1 / 19);
    expect(plain[0].all.map_cut_1000.toFixed(4)).toBe('0.1785');
    expect(goldenValue(level2, 'ndcg_cut_10', 0).toFixed(4)).toBe('0.0439');
    expect(goldenValue(level2, 'recip_rank', 0).toFixed(4)).toBe('0.0033');
    expect(level2.all.P_10.toFixed(4)).toBe('0.2333');
  });

  for (const c of plain) {
    describe(c.name, () => {
      test('evaluateRetrieval: every per-query value, the "all" means and the 5-decimal scores, bit for bit', () => {
        const r = evaluateRetrieval(readTrecQrels(c.qrels), readTrecRun(c.run), { protocol: 'mteb-2', kValues: TREC_K, nauc: false });
        const s = compareWithTrec(c, r.perQuery, r.scores);
        expect(s.mismatches).toEqual([]);
        expect(s.maxDiff).toBe(0);
        expect(s.values).toBe(35 * c.qids.length);
        // runs are 500 deep with distinct float32 scores: mteb-2's MRR@1000 (ties by doc id) is recip_rank
        expect(s.mrrDiffs).toEqual([]);
      });

      test('mteb-ts metrics retrieval --per-query prints the same values', async () => {
        const out = await metricsCliPerQuery(path(c.qrels), path(c.run));
        const perQuery = new Map(c.qids.map((q) => [q, out.per_query[q]]));
        expect(Object.keys(out.per_query).sort()).toEqual([...c.qids].sort());
        const s = compareWithTrec(c, perQuery, out.scores);
        expect(s.mismatches).toEqual([]);
        expect(s.values).toBe(35 * c.qids.length);
        expect(s.mrrDiffs).toEqual([]);
      });
    });
  }

  test('relevance_level 2 (-l2) is not representable: ndcg_cut ignores it and still agrees, the other measures do not', () => {
    // pytrec_eval as mteb calls it has relevance_level 1: a doc counts as relevant at grade >= 1 (negative
    // grades in qrels.rel_level are judged non-relevant). trec_eval -l2 changes num_rel, P, recall, map and
    // success, but ndcg_cut takes its gains from the grades (gain > 0) whatever -l says.
    const r = evaluateRetrieval(readTrecQrels(level2.qrels), readTrecRun(level2.run), { protocol: 'mteb-2', kValues: TREC_K, nauc: false });
    const ndcg = compareWithTrec(level2, r.perQuery, undefined, { measures: ['ndcg_cut'], means: false });
    expect(ndcg.mismatches).toEqual([]);
    expect(ndcg.values).toBe(7 * 3);
    const differ: string[] = [];
    for (const [trec, key] of [['map_cut', 'map'], ['recall', 'recall'], ['P', 'precision'], ['success', 'hit_rate']]) {
      for (const k of TREC_K) {
        level2.qids.forEach((q, i) => {
          if (r.perQuery.get(q)![`${key}_at_${k}`] !== goldenValue(level2, `${trec}_${k}`, i)) differ.push(`${q} ${trec}_${k}`);
        });
      }
    }
    // only query 301 has grade-1 judgements (302: grades 0 and 3; 303: -1, 0 and 2); its first grade >= 2 doc is
    // retrieved below rank 100, so -l2 zeroes its values up to there and lowers map/recall/P beyond
    const at = (m: string, ks: number[]) => ks.map((k) => `301 ${m}_${k}`);
    expect(differ).toEqual([
      ...at('map_cut', [10, 20, 100, 1000]),
      ...at('recall', [10, 20, 100, 1000]),
      ...at('P', [10, 20, 100, 1000]),
      ...at('success', [10, 20, 100]),
    ]);
  });
});
