import { describe, test, expect, beforeAll } from '@jest/globals';
import { parsePythonJson } from '../../src/output/python-json.js';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { runEvaluation } from '../../src/run/runner.js';
import { resolveTasks, REPO_ROOT } from '../../src/registry/index.js';
import { HashEmbedder } from '../../src/embedders/baselines/hash-embedder.js';
import { tmpOut } from '../run/helpers.js';

/**
 * Our result files carry exactly the metric keys mteb 1.x wrote: compared with official result files that
 * mteb 1.18 / 1.20 produced (the files the MTEB leaderboard reads; unchanged copies committed under
 * fixtures/results/official-untrimmed, so this runs on a fresh clone).
 */
const SHARED = path.resolve(REPO_ROOT, 'fixtures', 'results', 'official-untrimmed');
const OFFICIAL: Record<string, string> = {
  DemoRetrieval: 'nvidia__NV-Embed-v2/7604d305b621f14095a1aa23d351674c2859553a/NFCorpus.json',
  DemoSTS: 'Salesforce__SFR-Embedding-Mistral/938c560d1c236aa563b2dbdf084f28ab28bccb11/STS22.json',
  DemoSummarization: 'Salesforce__SFR-Embedding-Mistral/938c560d1c236aa563b2dbdf084f28ab28bccb11/SummEvalSummarization.v2.json',
  DemoClassification: 'Salesforce__SFR-Embedding-Mistral/938c560d1c236aa563b2dbdf084f28ab28bccb11/MTOPDomainClassification.json',
  DemoClustering: 'Salesforce__SFR-Embedding-Mistral/938c560d1c236aa563b2dbdf084f28ab28bccb11/MedrxivClusteringS2S.v2.json',
};
/**
 * Official files written by an older mteb 1.x than the 1.39.7 we write (`mteb_version`): our keys are theirs plus
 * exactly the keys mteb added since (checked in the mteb git history):
 * - PairClassification `max_accuracy`: 1.14.10 (b21223a39) added "accuracy" to the `max_*` list of
 *   `PairClassificationEvaluator.compute_metrics`; 1.12.75 wrote only max_{f1, ap, precision, recall}.
 * - Reranking `recall_at_10` + its `nAUC_recall_at_10_*`: 1.39.0 (e56e7c4ad, `RerankingEvaluator`).
 */
const OFFICIAL_OLDER: Record<string, { file: string; added: string[] }> = {
  DemoPairClassification: {
    file: 'intfloat__e5-mistral-7b-instruct/07163b72af1488142a360786df853f237b1a3ca1/SprintDuplicateQuestions.json',
    added: ['max_accuracy'],
  },
  DemoReranking: {
    file: 'intfloat__e5-mistral-7b-instruct/07163b72af1488142a360786df853f237b1a3ca1/AskUbuntuDupQuestions.json',
    added: ['recall_at_10', 'nAUC_recall_at_10_max', 'nAUC_recall_at_10_std', 'nAUC_recall_at_10_diff1'],
  },
};

let out: string;
beforeAll(async () => {
  out = tmpOut();
  const tasks = resolveTasks([...Object.keys(OFFICIAL), ...Object.keys(OFFICIAL_OLDER)].map((t) => path.join(REPO_ROOT, 'fixtures', 'tasks', t, 'task.json')));
  await runEvaluation({ tasks, embedder: new HashEmbedder(64), outputDir: out, modelName: 'k/m', modelRevision: 'r' });
}, 120_000);

describe('metric keys equal those of official mteb result files', () => {
  for (const [task, file] of Object.entries(OFFICIAL)) {
    test(`${task} ~ ${path.basename(file)}`, () => {
      const official = parsePythonJson(readFileSync(path.join(SHARED, file), 'utf8'));
      const ours = parsePythonJson(readFileSync(path.join(out, 'k__m', 'r', `${task}.json`), 'utf8'));
      const keys = (r: any) => Object.keys(Object.values(r.scores as Record<string, any[]>)[0][0]).sort();
      expect(keys(ours)).toEqual(keys(official));
      expect(Object.keys(ours).filter((k) => k !== 'mteb_ts').sort()).toEqual(Object.keys(official).filter((k) => k !== 'date').sort());
    });
  }
});

describe('metric keys equal those of older official files plus the keys mteb added up to 1.39.7', () => {
  for (const [task, { file, added }] of Object.entries(OFFICIAL_OLDER)) {
    test(`${task} ~ ${path.basename(file)} + ${added.join(', ')}`, () => {
      const official = parsePythonJson(readFileSync(path.join(SHARED, file), 'utf8'));
      const ours = parsePythonJson(readFileSync(path.join(out, 'k__m', 'r', `${task}.json`), 'utf8'));
      expect(ours.mteb_version).toBe('1.39.7');
      const keys = (r: any) => Object.keys(Object.values(r.scores as Record<string, any[]>)[0][0]);
      for (const k of added) expect(keys(official)).not.toContain(k);
      expect(keys(ours).sort()).toEqual([...keys(official), ...added].sort());
    });
  }
});

/**
 * mteb-2 result keys, in mteb HEAD's (a905523d) insertion order, from its source:
 * - retrieval/reranking: `_evaluators/retrieval_metrics.make_score_dict` (ndcg, map, recall, accuracy, precision,
 *   mrr, nauc of ndcg/map/recall/precision, nauc of mrr, hit_rate) with `AbsTaskRetrieval.k_values`
 *   1,3,5,10,20,100,1000; MindSmall-style tasks add the same keys prefixed `max_over_subqueries_`.
 * - classification: `abstasks/classification._calculate_scores` + `_calculate_avg_scores` (scores_per_experiment first).
 * - pair classification: `abstasks/pair_classification._compute_metrics` (similarity, cosine, manhattan, euclidean, dot
 *   × accuracy, f1, precision, recall, ap; then max_*).
 * - fast clustering: `abstasks/clustering._evaluate_subset` (v_measures, v_measure, v_measure_std, ami_scores, ami, ami_std).
 * Plus `main_score`, `hf_subset`, `languages`, which every task adds.
 */
const K = [1, 3, 5, 10, 20, 100, 1000];
function retrievalKeys(prefix = ''): string[] {
  const at = (m: string) => K.map((k) => `${m}_at_${k}`);
  const nauc = (m: string) => K.flatMap((k) => ['max', 'std', 'diff1'].map((f) => `nauc_${m}_at_${k}_${f}`));
  return [
    ...at('ndcg'), ...at('map'), ...at('recall'), 'accuracy', ...at('precision'), ...at('mrr'),
    ...nauc('ndcg'), ...nauc('map'), ...nauc('recall'), ...nauc('precision'), ...nauc('mrr'), ...at('hit_rate'),
  ].map((k) => prefix + k);
}
const PAIR_METRICS = ['accuracy', 'f1', 'precision', 'recall', 'ap'];
const HEAD_KEYS: Record<string, string[]> = {
  V2Retrieval: retrievalKeys(),
  V2Reranking: retrievalKeys(),
  V2RerankingSubqueries: [...retrievalKeys(), ...retrievalKeys('max_over_subqueries_')],
  V2Classification: ['scores_per_experiment', 'accuracy', 'f1', 'f1_weighted', 'precision', 'precision_weighted', 'recall', 'recall_weighted', 'ap', 'ap_weighted'],
  V2PairClassification: [
    ...['similarity', 'cosine', 'manhattan', 'euclidean', 'dot'].flatMap((s) => PAIR_METRICS.map((m) => `${s}_${m}`)),
    ...PAIR_METRICS.map((m) => `max_${m}`),
  ],
  V2ClusteringFast: ['v_measures', 'v_measure', 'v_measure_std', 'ami_scores', 'ami', 'ami_std'],
  V2ClusteringFlat: ['v_measures', 'v_measure', 'v_measure_std', 'ami_scores', 'ami', 'ami_std'],
};

describe('mteb-2 metric keys equal the set mteb HEAD writes', () => {
  let v2out: string;
  beforeAll(async () => {
    v2out = tmpOut();
    const tasks = resolveTasks(Object.keys(HEAD_KEYS).map((t) => path.join(REPO_ROOT, 'fixtures', 'tasks', t, 'task.json')));
    await runEvaluation({ tasks, embedder: new HashEmbedder(64), outputDir: v2out, modelName: 'k/m', modelRevision: 'r' });
  }, 120_000);
  for (const [task, want] of Object.entries(HEAD_KEYS)) {
    test(task, () => {
      const ours = parsePythonJson(readFileSync(path.join(v2out, 'k__m', 'r', `${task}.json`), 'utf8'));
      expect(ours.mteb_ts.protocol).toBe('mteb-2');
      const got = Object.keys(Object.values(ours.scores as Record<string, any[]>)[0][0]).filter((k) => !['main_score', 'hf_subset', 'languages'].includes(k));
      // Same keys in the same order, except classification, where HEAD's `FullClassificationMetrics(
      // scores_per_experiment=..., **avg_scores)` puts scores_per_experiment first and mteb-ts puts it last
      // (order only; left to the classification owner).
      if (task === 'V2Classification') expect([...got].sort()).toEqual([...want].sort());
      else expect(got).toEqual(want);
    });
  }
});
