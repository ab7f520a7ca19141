/**
 * Benchmark-sized cases (tests/metrics/retrieval/trec-shapes.ts SHAPES: TREC-COVID, NFCorpus, MS MARCO dev, Touche,
 * heavy ties, short/missing runs) regenerated from their seeds and compared with trec_eval 9.0.8 (%.17g build):
 * every per-query value bit for bit, "all", and mteb's mean / round(mean, 5). Goldens:
 * fixtures/golden/retrieval/generated/shapes.json (make_goldens.ts there).
 */
import { describe, test, expect } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { metricsCliPerQuery } from './metrics-cli.js';
import { evaluateRetrieval } from '../../../src/metrics/retrieval/evaluate.js';
import { TREC_K, SHAPES, compareWithTrec, hasFloat32Collision, qrelsText, runText, shapeCase, type GoldenFile } from './trec-shapes.js';

const golden = JSON.parse(
  readFileSync(new URL('../../../fixtures/golden/retrieval/generated/shapes.json', import.meta.url), 'utf8'),
) as GoldenFile;

/** Evaluated queries and largest relevant-retrieved count per case, pinned so a changed generator is noticed. */
const EXPECTED: Record<string, { queries: number; mrrFloat32: number; mrrBeyond1000: number }> = {
  'trec-covid': { queries: 50, mrrFloat32: 0, mrrBeyond1000: 0 },
  nfcorpus: { queries: 323, mrrFloat32: 0, mrrBeyond1000: 0 },
  'msmarco-dev': { queries: 2000, mrrFloat32: 0, mrrBeyond1000: 0 },
  touche: { queries: 49, mrrFloat32: 0, mrrBeyond1000: 0 },
  'heavy-ties': { queries: 120, mrrFloat32: 34, mrrBeyond1000: 0 },
  'deep-runs': { queries: 40, mrrFloat32: 0, mrrBeyond1000: 6 },
  'deep-cutoffs': { queries: 19, mrrFloat32: 0, mrrBeyond1000: 6 },
  'short-and-missing': { queries: 171, mrrFloat32: 0, mrrBeyond1000: 0 },
};

const generated = new Map<string, ReturnType<typeof shapeCase>>();
/** Each case is generated once (the CLI test reuses three). */
const gen = (name: string) => {
  if (!generated.has(name)) generated.set(name, shapeCase(name));
  return generated.get(name)!;
};

describe('trec_eval 9.0.8 on benchmark-shaped runs', () => {
  test('goldens and generator list the same cases', () => {
    expect(golden.cases.map((c) => c.name)).toEqual(SHAPES.map((s) => s.name));
    expect(Object.keys(EXPECTED)).toEqual(SHAPES.map((s) => s.name));
  });

  for (const shape of SHAPES) {
    test(`${shape.name}: ${shape.what}`, () => {
      const g = golden.cases.find((c) => c.name === shape.name)!;
      const c = gen(shape.name);
      const k = shape.k ?? TREC_K;
      expect(g.k ?? TREC_K).toEqual(k);
      const r = evaluateRetrieval(c.qrels, c.run, { protocol: 'mteb-2', kValues: k, nauc: false });
      const s = compareWithTrec(g, r.perQuery, r.scores);
      expect(s.mismatches).toEqual([]);
      expect(s.maxDiff).toBe(0);
      expect(s.queries).toBe(EXPECTED[shape.name].queries);
      expect(s.values).toBe(5 * k.length * s.queries);
      // mteb-2's MRR@1000 (double scores, ties by doc id) equals recip_rank (float32 scores, ties by doc id)
      // except where distinct doubles are one float32 (a tie for trec_eval only) and where the first relevant doc
      // ranks below 1000 (recip_rank has no cutoff: 1/rank; mrr_at_1000: 0).
      const why = { float32: 0, beyond1000: 0, unexplained: [] as string[] };
      for (const d of s.mrrDiffs) {
        if (d.mrr === 0 && d.recipRank < 1 / 1000) why.beyond1000++;
        else if (hasFloat32Collision(c.run.get(d.qid)!.scores)) why.float32++;
        else why.unexplained.push(`${d.qid}: mrr_at_1000 ${d.mrr}, recip_rank ${d.recipRank}`);
      }
      expect(why).toEqual({ float32: EXPECTED[shape.name].mrrFloat32, beyond1000: EXPECTED[shape.name].mrrBeyond1000, unexplained: [] });
    });
  }

  test('the CLI (TREC files through the fast run reader) gives the same per-query values', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mteb-ts-trec-shapes-'));
    try {
      for (const name of ['trec-covid', 'heavy-ties', 'short-and-missing']) {
        const c = gen(name);
        const g = golden.cases.find((x) => x.name === name)!;
        writeFileSync(join(dir, 'qrels'), qrelsText(c));
        writeFileSync(join(dir, 'run'), runText(c));
        const json = await metricsCliPerQuery(join(dir, 'qrels'), join(dir, 'run'));
        const s = compareWithTrec(g, new Map(g.qids.map((q) => [q, json.per_query[q]])), json.scores);
        expect(s.mismatches).toEqual([]);
        expect(Object.keys(json.per_query).length).toBe(g.qids.length);
        expect(s.values).toBe(35 * g.qids.length);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
