import { describe, test, expect } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { buildLeaderboard } from '../../src/leaderboard/build.js';
import { pyRound } from '../../src/leaderboard/round.js';

/**
 * fixtures/results/conformance: result files + goldens.json made by make.py, an independent re-implementation of
 * mteb's loading rules (join_revisions, validate_and_filter_scores, aggregate files as stored) in Python.
 */
const DIR = 'fixtures/results/conformance';
const golden: Record<string, { average: number | null; tasks: Record<string, number | null> }> = JSON.parse(
  readFileSync(`${DIR}/goldens.json`, 'utf8'),
);

describe('MTEB(eng, v1) under mteb loading rules = goldens.json (fixtures/results/conformance/make.py)', () => {
  const lb = buildLeaderboard([`${DIR}/results`], { benchmark: 'MTEB(eng, v1)' });
  test('every model, every task, every average', () => {
    expect(Object.keys(golden).sort()).toEqual(['acme/cqa-split', 'acme/msmarco-test', 'acme/multi-rev', 'acme/rerank-v2']);
    for (const [model, g] of Object.entries(golden)) {
      const row = lb.models.find((m) => m.model === model)!;
      expect(Object.fromEntries(Object.entries(row.tasks).map(([t, s]) => [t, s.value]))).toEqual(g.tasks);
      expect(row.average === null ? null : pyRound(row.average, 2)).toBe(g.average);
    }
  });
  test('the cases: joined revisions, cross-folder CQADupstack, mteb-2 reranking keys, MSMARCO test', () => {
    const row = (m: string) => lb.models.find((r) => r.model === m)!;
    expect(row('acme/multi-rev').warnings).toContain('revisions joined task by task (mteb join_revisions): 1 47 task(s), 3 8 task(s), rev1 1 task(s)');
    expect(row('acme/multi-rev').tasks.AmazonCounterfactualClassification.source!.layer).toBe('results:3');
    const cqa = row('acme/cqa-split');
    expect(cqa.tasks.CQADupstackRetrieval.source!.layer).toBe('results:external');
    expect(cqa.warnings.find((w) => w.startsWith('CQADupstackRetrieval: partial'))).toMatch(
      /^CQADupstackRetrieval: partial CQADupstack aggregate refused: results:rev1\/CQADupstackRetrieval\.json \(\d+\.\d\d\) equals the mean of only 11 of 12 forums \(English, /,
    );
    expect(row('acme/rerank-v2').tasks.SciDocsRR.metric).toBe('map_at_1000');
    expect(row('acme/msmarco-test').tasks.MSMARCO.value).toBeNull();
    expect(lb.models.map((m) => m.model)).toEqual(['acme/rerank-v2', 'acme/multi-rev', 'acme/cqa-split', 'acme/msmarco-test']);
  });
  test('--strict keeps the stricter rules, each blank named', () => {
    const s = buildLeaderboard([`${DIR}/results`], { benchmark: 'MTEB(eng, v1)', strict: true });
    const row = (m: string) => s.models.find((r) => r.model === m)!;
    expect(row('acme/multi-rev').revision).toBe('3');
    expect(row('acme/multi-rev').warnings[0]).toMatch(/^average blank: 48 of 56 tasks missing/);
    expect(row('acme/cqa-split').tasks.CQADupstackRetrieval.value).toBeNull();
    expect(row('acme/rerank-v2').tasks.SciDocsRR.value).toBeNull();
    expect(row('acme/rerank-v2').warnings).toContain('SciDocsRR: results:rev1/SciDocsRR.json unusable: no metric map in split "test" subset "default"');
  });
  test('--accept-split-mislabels scores MSMARCO "test" as "dev", with a warning', () => {
    const a = buildLeaderboard([`${DIR}/results`], { benchmark: 'MTEB(eng, v1)', acceptSplitMislabels: true });
    const m = a.models.find((r) => r.model === 'acme/msmarco-test')!;
    expect(m.tasks.MSMARCO.value).not.toBeNull();
    expect(m.average).not.toBeNull();
    expect(m.warnings).toContain('MSMARCO: split mislabel: file has only split "test", MTEB(eng, v1) uses "dev"; used the "test" values');
  });
});
