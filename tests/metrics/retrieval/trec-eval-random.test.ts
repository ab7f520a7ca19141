/**
 * Randomized differential test against trec_eval 9.0.8 (%.17g build): 200 seeds (trec-shapes.ts RANDOM_SEEDS),
 * each a few queries with run depth 0-1200, 0-1000 relevant, grades -1..3 with zero judgements, integer scores
 * (heavy ties) up to 9 decimals (float32-only ties), doc ids of six forms (numeric, prefixed, hex, base 36,
 * astral/BMP-private-use unicode). Inputs are regenerated here; goldens in
 * fixtures/golden/retrieval/generated/random.json (make_goldens.ts there).
 */
import { describe, test, expect } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { evaluateRetrieval } from '../../../src/metrics/retrieval/evaluate.js';
import { RANDOM_SEEDS, TREC_K, compareWithTrec, hasFloat32Collision, randomCase, type GoldenFile } from './trec-shapes.js';

const golden = JSON.parse(
  readFileSync(new URL('../../../fixtures/golden/retrieval/generated/random.json', import.meta.url), 'utf8'),
) as GoldenFile & { seeds: number[] };

describe('trec_eval 9.0.8 on 200 random shapes', () => {
  test('per query, "all" and mteb\'s rounded means agree bit for bit', () => {
    expect(golden.seeds).toEqual(RANDOM_SEEDS);
    expect(golden.cases.length).toBe(200);
    const mismatches: string[] = [];
    let queries = 0;
    let values = 0;
    let maxDiff = 0;
    let bigQueries = 0; // queries with more than 64 relevant docs retrieved (the scratch-buffer bug's trigger)
    let deepQueries = 0;
    const mrr = { equal: 0, float32: 0, beyond1000: 0 };
    RANDOM_SEEDS.forEach((seed, i) => {
      const g = golden.cases[i];
      expect(g.name).toBe(`random-${seed}`);
      const c = randomCase(seed);
      const r = evaluateRetrieval(c.qrels, c.run, { protocol: 'mteb-2', kValues: TREC_K, nauc: false });
      const s = compareWithTrec(g, r.perQuery, r.scores);
      mismatches.push(...s.mismatches);
      queries += s.queries;
      values += s.values;
      maxDiff = Math.max(maxDiff, s.maxDiff);
      for (const q of g.qids) {
        const docs = c.run.get(q)!;
        const rels = c.qrels.get(q)!;
        if (docs.docIds.filter((d) => (rels.get(d) ?? 0) >= 1).length > 64) bigQueries++;
        if (docs.docIds.length > 1000) deepQueries++;
      }
      // mteb-2's MRR@1000 vs trec_eval's recip_rank: they differ only where trec_eval's float32 ties docs that are
      // distinct doubles, or where the first relevant doc is below rank 1000 (recip_rank has no cutoff).
      for (const d of s.mrrDiffs) {
        if (d.mrr === 0 && d.recipRank < 1 / 1000) mrr.beyond1000++;
        else if (hasFloat32Collision(c.run.get(d.qid)!.scores)) mrr.float32++;
        else mismatches.push(`${g.name} ${d.qid}: mrr_at_1000 ${d.mrr} vs recip_rank ${d.recipRank}, unexplained`);
      }
      mrr.equal += s.queries - s.mrrDiffs.length;
    });
    expect(mismatches).toEqual([]);
    expect(maxDiff).toBe(0);
    expect({ queries, values, bigQueries, deepQueries }).toEqual({ queries: 617, values: 21595, bigQueries: 51, deepQueries: 72 });
    expect(mrr).toEqual({ equal: 594, float32: 22, beyond1000: 1 });
  });
});
