import { describe, test, expect } from '@jest/globals';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { compareRuns } from '../../src/compare/compare.js';
import { renderComparison } from '../../reports/index.js';
import { HAVE_SHARED, RESULTS, SELF_REPORTED } from '../leaderboard/shared.js';

const RUNS = 'fixtures/results/runs';
const golden = JSON.parse(readFileSync('fixtures/golden/stats/compare_runs.json', 'utf8')) as {
  iterations: number;
  seed: number;
  tasks: Record<string, { n: number; mean_diff: number; randomization_p: number; bootstrap_ci: [number, number]; bootstrap_p: number }>;
};

describe('compare two mteb-ts runs with per-item sidecars', () => {
  const cmp = compareRuns([`${RUNS}/baseline`], [`${RUNS}/candidate`], {
    benchmark: 'MTEB(eng, v2)',
    iterations: golden.iterations,
    seed: golden.seed,
  });
  test('paired tests per task equal the numpy replay (fixtures/results/make_runs.py)', () => {
    for (const [task, g] of Object.entries(golden.tasks)) {
      const t = cmp.tasks.find((x) => x.task === task)!;
      const s = t.significance!;
      expect(s.n).toBe(g.n);
      expect(s.droppedItems).toBe(0);
      expect(s.randomization!.meanDiff).toBeCloseTo(g.mean_diff, 10);
      expect(s.randomization!.pValue).toBe(g.randomization_p);
      expect(s.bootstrap!.ci[0]).toBeCloseTo(g.bootstrap_ci[0], 10);
      expect(s.bootstrap!.ci[1]).toBeCloseTo(g.bootstrap_ci[1], 10);
      expect(s.bootstrap!.pValue).toBe(g.bootstrap_p);
    }
  });
  test('deltas and significance verdicts', () => {
    const by = Object.fromEntries(cmp.tasks.filter((t) => t.delta !== null).map((t) => [t.task, [Number(t.delta!.toFixed(4)), t.significance!.significant]]));
    expect(by).toEqual({
      Banking77Classification: [-1.5, false],
      STS12: [-0.7692, true],
      ArguAna: [5.8305, true],
    });
    expect(cmp.baseline.revision).toBe('1111aaaa1111aaaa1111aaaa1111aaaa1111aaaa');
    expect(cmp.average.baseline).toBeNull(); // 38 of 41 tasks missing on both sides
    expect(cmp.average.common!.n).toBe(3);
    expect(cmp.average.common!.bootstrap!.n).toBe(3);
  });
  test('seeded: the same call gives the same numbers; another seed other Monte Carlo p-values', () => {
    const again = compareRuns([`${RUNS}/baseline`], [`${RUNS}/candidate`], { benchmark: 'MTEB(eng, v2)', iterations: golden.iterations, seed: golden.seed });
    expect(again).toEqual(cmp);
    const other = compareRuns([`${RUNS}/baseline`], [`${RUNS}/candidate`], { benchmark: 'MTEB(eng, v2)', iterations: golden.iterations, seed: 1, test: 'bootstrap' });
    const b = other.tasks.find((t) => t.task === 'ArguAna')!.significance!;
    expect(b.randomization).toBeUndefined();
    expect(b.bootstrap!.ci).not.toEqual(cmp.tasks.find((t) => t.task === 'ArguAna')!.significance!.bootstrap!.ci);
  });
  test('under MTEB(eng, v1) rules the same sidecars are tested on the classic metric, values rounded per task', () => {
    const v1 = compareRuns([`${RUNS}/baseline`], [`${RUNS}/candidate`], { benchmark: 'MTEB(eng, v1)', iterations: golden.iterations, seed: golden.seed });
    const a = v1.tasks.find((t) => t.task === 'ArguAna')!;
    expect([a.baseline, a.candidate]).toEqual([56.02, 61.85]);
    expect(a.significance!.metric).toBe('ndcg_at_10');
    expect(a.significance!.randomization!.pValue).toBe(golden.tasks.ArguAna.randomization_p);
    expect(v1.tasks.find((t) => t.task === 'STS12')!.significance!.metric).toBe('cosine_spearman');
  });
  test('a side holding several models must name one', () => {
    const two = [`${RUNS}/baseline`, 'fixtures/results/formats'];
    expect(() => compareRuns(two, [`${RUNS}/candidate`], { benchmark: 'MTEB(eng, v2)' })).toThrow(
      /holds 2 models \(acme\/(legacy-model|embed-small), acme\/(legacy-model|embed-small)\); pass one model folder or --baseline-model/,
    );
    const picked = compareRuns(two, [`${RUNS}/candidate`], { benchmark: 'MTEB(eng, v2)', baselineModel: 'embed-small', iterations: 100 });
    expect(picked.baseline.model).toBe('acme/embed-small');
  });
});

const d = HAVE_SHARED ? describe : describe.skip;
d('compare NV-Embed-v1 (baseline) and NV-Embed-v2 (candidate), self-reported files', () => {
  const cmp = HAVE_SHARED
    ? compareRuns([path.join(RESULTS, 'nvidia__NV-Embed-v1')], [path.join(RESULTS, 'nvidia__NV-Embed-v2')], { benchmark: 'MTEB(eng, v1)', ...SELF_REPORTED })
    : null!;
  test('names the tasks that moved, with their deltas', () => {
    const moved = cmp.tasks.filter((t) => Math.abs(t.delta!) >= 5).map((t) => [t.task, Number(t.delta!.toFixed(2))]);
    expect(moved).toEqual([
      ['AmazonReviewsClassification', 8.49], ['MassiveIntentClassification', 6.03], ['MassiveScenarioClassification', 10.43],
      ['BiorxivClusteringP2P', 5.94], ['MedrxivClusteringP2P', 6.85], ['MedrxivClusteringS2S', 7.88], ['RedditClustering', 7.9],
      ['RedditClusteringP2P', 6.93], ['StackExchangeClustering', 7.11], ['StackExchangeClusteringP2P', 6.32],
      ['ClimateFEVER', 10.67], ['DBPedia', 5.21], ['FEVER', 5.98], ['HotpotQA', 5.56], ['NFCorpus', 7.13],
    ]);
    expect(cmp.tasks.filter((t) => t.delta! <= -0.5).map((t) => t.task)).toEqual([
      'AmazonCounterfactualClassification', 'StackOverflowDupQuestions', 'MSMARCO', 'SICK-R', 'STS22', 'SummEval',
    ]);
    // Delta of the unrounded means (what the gate checks and prints), shown rounded: +3.00, not 72.31 - 69.32 = 2.99.
    expect([cmp.average.baseline, cmp.average.candidate, cmp.average.delta]).toEqual([69.32, 72.31, 2.996071429]);
    expect(cmp.average.common!.delta).toBeCloseTo(2.996071, 6);
    expect(cmp.categories.find((c) => c.category === 'Summarization')!.delta).toBe(-0.5);
  });
  test('official files have no per-item scores: significance is unknown, and said so', () => {
    expect(cmp.tasks.every((t) => t.significance === null)).toBe(true);
    expect(cmp.tasks[0].significanceNote).toBe('unknown: no per-item scores (baseline and candidate have no AmazonCounterfactualClassification.items.json)');
    expect(cmp.warnings[0]).toBe('significance unknown for 56 of 56 compared tasks (per-item values of the main score missing on a side, or the main score is not a mean over items)');
    const b = cmp.average.common!.bootstrap!;
    expect(b.n).toBe(56);
    expect(b.ci[0]).toBeGreaterThan(0);
  });
});

describe('compare: every blank row says why; the average row gives the delta over the common tasks', () => {
  const R = 'fixtures/results/official/mteb-results';
  const cmp = compareRuns([`${R}/nvidia__NV-Embed-v1`], [`${R}/nvidia__NV-Embed-v2`], { benchmark: 'MTEB(eng, v1)', iterations: 200 });
  test('task rows name the side and the reason (split, subset, no file)', () => {
    const blank = Object.fromEntries(cmp.tasks.filter((t) => t.delta === null).map((t) => [t.task, t.blank]));
    expect(blank).toEqual({
      CQADupstackRetrieval: 'missing on both sides (no usable aggregate or complete set of 12 forum files)',
      MSMARCO: 'missing on the baseline (no split "dev" (has ["test"]))',
      STS22: 'missing on both sides (no subset "en" in split "test" (holds only non-English subsets ["ru"]))',
    });
    expect(cmp.tasks.filter((t) => t.delta !== null).every((t) => t.blank === undefined)).toBe(true);
  });
  test('categories and the average: which side lacks how many; the common-task delta with its count', () => {
    const retrieval = cmp.categories.find((c) => c.category === 'Retrieval')!;
    expect(retrieval.blank).toBe('baseline lacks 2, candidate 1 of 15 task(s)');
    expect(retrieval.common).toEqual({ n: 13, of: 15, delta: expect.any(Number) });
    expect(cmp.average.blank).toBe('baseline lacks 3, candidate 2 of 56 task(s)');
    expect([cmp.average.tasks, cmp.average.common!.n]).toEqual([56, 53]);
  });
  test('table and Markdown print the reasons and the common-task average row', () => {
    const table = renderComparison(cmp, 'table');
    expect(table).toMatch(/│ MSMARCO +│ +│ +\d+\.\d\d │ +│ +│ +│ missing on the baseline \(no split "dev" \(has \["test"\]\)\) +│/);
    expect(table).toMatch(/│ \[Average\] +│ +│ +│ +│ +│ +│ baseline lacks 3, candidate 2 of 56 task\(s\) +│/);
    expect(table).toMatch(/│ \[Average, 53 common tasks\] +│ +68\.87 │ +72\.13 │ +\+3\.26 │ .* │ over the 53 of 56 tasks scored on both sides +│/);
    const md = renderComparison(cmp, 'markdown');
    expect(md).toContain('**Average**: blank → blank (blank: baseline lacks 3, candidate 2 of 56 task(s)); over the 53 of 56 tasks on both sides: 68.87 → 72.13 (+3.26)');
    expect(md).toContain('| Retrieval |  |  |  | baseline lacks 2, candidate 1 of 15 task(s); ');
    expect(JSON.parse(renderComparison(cmp, 'json')).tasks.find((t: { task: string }) => t.task === 'STS22').blank).toMatch(/^missing on both sides \(no subset "en"/);
  });
});
