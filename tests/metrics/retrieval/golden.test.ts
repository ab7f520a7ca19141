import { describe, test, expect } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { evaluateRetrieval } from '../../../src/metrics/retrieval/evaluate.js';
import { evaluateMaxOverSubqueries } from '../../../src/metrics/retrieval/subqueries.js';
import type { EvaluateOptions } from '../../../src/metrics/retrieval/types.js';

type Pairs = [string, [string, number][]][];
interface Case {
  name: string;
  k_values: number[];
  ignore_identical_ids: boolean;
  qrels: Pairs;
  run: Pairs;
  trec_per_query: Record<string, Record<string, number>>;
  trec_all: Record<string, number>;
  unrounded_means: Record<string, number>;
  expected: Record<string, Record<string, number | null>>;
  per_query_mrr: Record<string, { v1: number[]; v2: number[] }>;
  max_over_subqueries?: Record<string, number | null>;
}
const golden = JSON.parse(readFileSync(new URL('../../../fixtures/golden/retrieval/goldens.json', import.meta.url), 'utf8')) as {
  cases: Case[];
};

const toMap = (p: Pairs) => new Map(p.map(([q, docs]) => [q, new Map(docs)]));
const TREC_NAMES: [string, string][] = [
  ['ndcg_cut', 'ndcg'],
  ['map_cut', 'map'],
  ['recall', 'recall'],
  ['P', 'precision'],
  ['success', 'hit_rate'],
];
const PROTOCOLS: Record<string, Pick<EvaluateOptions, 'protocol' | 'mteb1Variant'>> = {
  'mteb-1/1.12.0': { protocol: 'mteb-1', mteb1Variant: '1.12.0' },
  'mteb-1/1.12.8': { protocol: 'mteb-1', mteb1Variant: '1.12.8' },
  'mteb-2': { protocol: 'mteb-2' },
};

/** Rounded keys must be identical; unrounded ones (mrr in later protocols, nauc) too, as the arithmetic is the same. */
function compareScores(got: Record<string, number>, want: Record<string, number | null>): string[] {
  const bad: string[] = [];
  expect(Object.keys(got)).toEqual(Object.keys(want));
  for (const [k, w] of Object.entries(want)) {
    const g = got[k];
    if (w === null ? !Number.isNaN(g) : !Object.is(g, w)) bad.push(`${k}: want ${w}, got ${g}`);
  }
  return bad;
}

describe('retrieval metrics vs trec_eval 9.0.8 and mteb', () => {
  expect(golden.cases.length).toBeGreaterThanOrEqual(9);
  for (const c of golden.cases) {
    describe(c.name, () => {
      const qrels = toMap(c.qrels);
      const run = toMap(c.run);
      const base = { kValues: c.k_values, ignoreIdenticalIds: c.ignore_identical_ids };

      test('per-query values equal trec_eval (1e-9) and the mean of each measure too', () => {
        const { perQuery } = evaluateRetrieval(qrels, run, { ...base, protocol: 'mteb-2' });
        expect([...perQuery.keys()]).toEqual(Object.keys(c.trec_per_query));
        let maxDiff = 0;
        const notBitExact: string[] = [];
        for (const [qid, want] of Object.entries(c.trec_per_query)) {
          const got = perQuery.get(qid)!;
          for (const [trec, ours] of TREC_NAMES) {
            for (const k of c.k_values) {
              const g = got[`${ours}_at_${k}`];
              const w = want[`${trec}_${k}`];
              maxDiff = Math.max(maxDiff, Math.abs(g - w));
              if (g !== w) notBitExact.push(`${qid} ${trec}_${k}: ${w} vs ${g}`);
            }
          }
        }
        expect(maxDiff).toBeLessThanOrEqual(1e-9);
        // Same operations in the same order as trec_eval (incl. glibc's log2), so even the last bit agrees.
        expect(notBitExact).toEqual([]);
        for (const [trec, ours] of TREC_NAMES) {
          for (const k of c.k_values) {
            const vals = [...perQuery.values()].map((r) => r[`${ours}_at_${k}`]);
            const mean = vals.reduce((a, b) => a + b, 0) / vals.length;
            expect(Math.abs(mean - c.trec_all[`${trec}_${k}`])).toBeLessThanOrEqual(1e-9);
          }
        }
      });

      for (const [label, proto] of Object.entries(PROTOCOLS)) {
        test(`${label}: mteb's keys and values, exactly`, () => {
          const { scores } = evaluateRetrieval(qrels, run, { ...base, ...proto });
          expect(compareScores(scores, c.expected[label])).toEqual([]);
        });
      }

      test('per-query MRR as mteb 1.x (stable ties) and 2.x (doc id ties)', () => {
        const v1 = evaluateRetrieval(qrels, run, { ...base, protocol: 'mteb-1' }).perQuery;
        const v2 = evaluateRetrieval(qrels, run, { ...base, protocol: 'mteb-2' }).perQuery;
        for (const [qid, want] of Object.entries(c.per_query_mrr)) {
          expect(c.k_values.map((k) => v1.get(qid)![`mrr_at_${k}`])).toEqual(want.v1);
          expect(c.k_values.map((k) => v2.get(qid)![`mrr_at_${k}`])).toEqual(want.v2);
        }
      });

      if (c.max_over_subqueries) {
        test('max_over_subqueries keys', () => {
          const { scores } = evaluateMaxOverSubqueries(qrels, run, base);
          expect(compareScores(scores, c.max_over_subqueries!)).toEqual([]);
        });
      }
    });
  }
});
