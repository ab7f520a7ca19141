import { describe, test, expect } from '@jest/globals';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildLeaderboard } from '../../src/leaderboard/index.js';
import { npRound } from '../../src/leaderboard/round.js';
import type { ModelRow } from '../../src/leaderboard/types.js';
import { HAVE_SHARED, REMOVED, RESULTS, SELF_REPORTED, SHARED } from './shared.js';

// fixtures/results/official: committed, trimmed copies of the official files (tests/leaderboard/shared.ts).
const d = HAVE_SHARED ? describe : describe.skip;
const r2 = (x: number | null | undefined) => (x === null || x === undefined ? null : npRound(x, 2));
const row = (rows: ModelRow[], m: string) => rows.find((r) => r.model === m)!;

d('MTEB(eng, v1) from the self-reported files (removed-pr364 > external > revision folders)', () => {
  const lb = HAVE_SHARED ? buildLeaderboard([RESULTS], { benchmark: 'MTEB(eng, v1)', ...SELF_REPORTED }) : null!;

  test('published averages of all four models, ranked', () => {
    expect(lb.models.map((m) => [m.model, r2(m.average), m.rank])).toEqual([
      ['nvidia/NV-Embed-v2', 72.31, 1],
      ['nvidia/NV-Embed-v1', 69.32, 2],
      ['Salesforce/SFR-Embedding-Mistral', 67.56, 3],
      ['intfloat/e5-mistral-7b-instruct', 66.63, 4],
    ]);
  });
  test('NV-Embed-v1 category averages are the paper\'s (Reranking 60.54, see docs/reports.md on 60.59)', () => {
    const v1 = row(lb.models, 'nvidia/NV-Embed-v1');
    expect(Object.fromEntries(Object.entries(v1.categories).map(([k, v]) => [k, r2(v)]))).toEqual({
      Classification: 87.35,
      Clustering: 52.8,
      PairClassification: 86.91,
      Reranking: 60.54,
      Retrieval: 59.36,
      STS: 82.84,
      Summarization: 31.2,
    });
  });
  test('per-task sources and metrics: cosine AP, authors\' CQADupstack and STS22 files, MSMARCO mislabel flagged', () => {
    const v1 = row(lb.models, 'nvidia/NV-Embed-v1');
    expect(v1.tasks.SprintDuplicateQuestions.value).toBe(95.94);
    expect(v1.tasks.SprintDuplicateQuestions.metric).toBe('cos_sim_ap');
    expect(v1.tasks.CQADupstackRetrieval.value).toBe(50.51);
    expect(v1.tasks.CQADupstackRetrieval.source!.layer).toBe('mteb-results-removed-pr364:external');
    expect(v1.tasks.AmazonCounterfactualClassification.value).toBe(95.12);
    expect(v1.tasks.MSMARCO.value).toBe(46.49);
    expect(v1.warnings).toContain('MSMARCO: split mislabel: file has only split "test", MTEB(eng, v1) uses "dev"; used the "test" values');
    expect(v1.warnings).toContain(
      'AmazonCounterfactualClassification: sources disagree: mteb-results:570834af gives 71.01, used 95.12 from mteb-results-removed-pr364:external',
    );
    expect(row(lb.models, 'nvidia/NV-Embed-v2').tasks.CQADupstackRetrieval.value).toBe(50.24);
  });
  test('NV-Embed-v2 category averages', () => {
    const v2 = row(lb.models, 'nvidia/NV-Embed-v2');
    expect(r2(v2.categories.Retrieval)).toBe(62.65);
    expect(r2(v2.categories.Classification)).toBe(90.37);
    expect(r2(v2.categories.STS)).toBe(84.31);
  });
  test('e5-mistral: French-only files of no_revision_available are refused by name', () => {
    const e5 = row(lb.models, 'intfloat/e5-mistral-7b-instruct');
    expect(e5.warnings).toContain(
      'STS22: mteb-results-removed-pr364:no_revision_available/STS22.json unusable: no subset "en" in split "test" (holds only non-English subsets ["fr"])',
    );
  });
  test('per-task scores agree with the cross-check file (mteb-results-averages.json, cos-AP view) to 0.005', () => {
    const ref = JSON.parse(readFileSync(path.join(SHARED, 'mteb-results-averages.json'), 'utf8'));
    for (const m of lb.models) {
      const per = ref.views[m.model.replace('/', '__')].self_reported_external_first__pair_cos_sim_ap.per_task;
      for (const [task, t] of Object.entries(m.tasks)) expect(Math.abs(t.value! - per[task].score)).toBeLessThanOrEqual(0.005 + 1e-9);
    }
  });
});

d('MTEB(eng, v1) from the current official folders alone', () => {
  const lb = HAVE_SHARED ? buildLeaderboard([RESULTS], { benchmark: 'MTEB(eng, v1)' }) : null!;
  test('NV-Embed averages are blank and sorted last; the others keep theirs', () => {
    expect(lb.models.map((m) => [m.model, r2(m.average), m.rank])).toEqual([
      ['Salesforce/SFR-Embedding-Mistral', 67.31, 1],
      ['intfloat/e5-mistral-7b-instruct', 66.45, 2],
      ['nvidia/NV-Embed-v1', null, null],
      ['nvidia/NV-Embed-v2', null, null],
    ]);
  });
  test('the missing STS22 English subset and the partial CQADupstack aggregate are named', () => {
    // v1's only MSMARCO file (model card) labels its split "test": mteb's loader leaves the task blank, so do we.
    for (const [m, rev, agg, blank] of [
      ['nvidia/NV-Embed-v1', '570834af', '59.36', 'average blank: 3 of 56 tasks missing (CQADupstackRetrieval, MSMARCO, STS22)'],
      ['nvidia/NV-Embed-v2', '7604d305', '58.40', 'average blank: 2 of 56 tasks missing (CQADupstackRetrieval, STS22)'],
    ]) {
      const r = row(lb.models, m);
      expect(r.tasks.STS22.value).toBeNull();
      expect(r.tasks.CQADupstackRetrieval.value).toBeNull();
      expect(r.categories.STS).toBeNull();
      expect(r.categories.Clustering).not.toBeNull();
      expect(r.warnings[0]).toBe(blank);
      expect(r.warnings).toContain(
        `STS22: mteb-results:${rev}/STS22.json unusable: no subset "en" in split "test" (holds only non-English subsets ["ru"])`,
      );
      expect(r.warnings).toContain(
        `CQADupstackRetrieval: partial CQADupstack aggregate refused: mteb-results:${rev}/CQADupstackRetrieval.json (${agg}) equals the mean of only 2 of 12 forums (Gaming, Unix)`,
      );
    }
  });
  test('e5-mistral CQADupstack = mean of its 12 forum files, checked against its aggregate file', () => {
    const e5 = row(lb.models, 'intfloat/e5-mistral-7b-instruct');
    expect(e5.tasks.CQADupstackRetrieval.value).toBe(46.0);
    expect(e5.warnings.filter((w) => w.startsWith('CQADupstackRetrieval'))).toEqual([]);
    expect(e5.warnings.filter((w) => w.startsWith('SciFact'))).toEqual([]); // its NaN nAUC values are not anomalies
  });
  test('placeholder MRR values of model-card files are reported', () => {
    const v1 = row(lb.models, 'nvidia/NV-Embed-v1');
    expect(v1.warnings.some((w) => /^placeholder MRR values \(0\) ignored in 13 model-card file\(s\)/.test(w))).toBe(true);
    expect(v1.warnings).toContain(
      'MSMARCO: mteb-results:external/MSMARCO.json unusable: no split "dev" (has ["test"]); a "test" split is not used as "dev" (mteb leaves the task blank; --accept-split-mislabels uses it)',
    );
  });
});

d('MTEB(eng, v2) current rules', () => {
  test('NV-Embed-v2 from its revision folder + external; mean over tasks and Borda', () => {
    const lb = buildLeaderboard([path.join(RESULTS, 'nvidia__NV-Embed-v2'), path.join(RESULTS, 'nvidia__NV-Embed-v1')], {
      benchmark: 'MTEB(eng, v2)',
    });
    expect(lb.mode).toBe('current');
    const v2 = row(lb.models, 'nvidia/NV-Embed-v2');
    expect(v2.tasks['STS22.v2'].metric).toBe('main_score');
    expect(v2.borda).toBeGreaterThan(row(lb.models, 'nvidia/NV-Embed-v1').borda!);
    expect(lb.models[0].model).toBe('nvidia/NV-Embed-v2');
    // current rules read main_score = max_ap (97.09), the classic table uses cosine AP (97.02)
    expect(v2.tasks.SprintDuplicateQuestions.value).toBeCloseTo(97.0919, 4);
  });
  test('removed files are only an overlay: a --prefer folder adds no models of its own', () => {
    const lb = buildLeaderboard([path.join(RESULTS, 'nvidia__NV-Embed-v1')], { benchmark: 'MTEB(eng, v1)', prefer: [REMOVED] });
    expect(lb.models.map((m) => m.model)).toEqual(['nvidia/NV-Embed-v1']);
  });
});
