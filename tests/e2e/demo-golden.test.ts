import { describe, test, expect, beforeAll } from '@jest/globals';
import { parsePythonJson } from '../../src/output/python-json.js';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runEvaluation, type RunSummary } from '../../src/run/runner.js';
import { resolveTasks, REPO_ROOT } from '../../src/registry/index.js';
import { PrecomputedEmbedder } from '../../src/embedders/precomputed/precomputed-embedder.js';
import { validating } from '../../src/embedders/validating-embedder.js';
import type { ResultFile } from '../../src/output/result-file.js';

/**
 * End to end: every demo task (one per task type, real hub layout, loaded from its task file) evaluated with
 * pinned embeddings must give the values computed independently by fixtures/golden/e2e/make_goldens.py
 * (trec_eval, scikit-learn, scipy re-running mteb 1.39.7's evaluators).
 */
const expected = JSON.parse(readFileSync(path.join(REPO_ROOT, 'fixtures/golden/e2e/expected.json'), 'utf8')) as Record<string, Record<string, number>>;
const TASKS = ['DemoRetrieval', 'DemoReranking', 'DemoClassification', 'DemoClustering', 'DemoPairClassification', 'DemoSTS', 'DemoSummarization', 'DemoBitextMining'];

// 1e-6 everywhere (results are stored rounded to 6 decimals, as mteb stores them) — classification (lbfgs
// port) and clustering (MiniBatchKMeans port) included, because the run follows Debian's sklearn 1.2.1 here.
const TOLERANCE: Record<string, number> = {};

let summary: RunSummary;
let outDir: string;

beforeAll(async () => {
  outDir = mkdtempSync(path.join(tmpdir(), 'e2e-'));
  const embedder = validating(await PrecomputedEmbedder.load(path.join(REPO_ROOT, 'fixtures/golden/e2e/demo-embeddings.jsonl')));
  const tasks = resolveTasks(TASKS.map((t) => path.join(REPO_ROOT, 'fixtures/tasks', t, 'task.json')));
  summary = await runEvaluation({ tasks, embedder, outputDir: outDir, modelName: 'golden/pinned', modelRevision: 'r1', sklearn: '1.2' });
}, 300_000);

function result(task: string): ResultFile {
  return parsePythonJson(readFileSync(path.join(outDir, 'golden__pinned', 'r1', `${task}.json`), 'utf8'));
}

describe('demo tasks end to end against independent values', () => {
  test('every task succeeded', () => {
    const failed = summary.outcomes.filter((o) => o.status === 'failed');
    expect(failed).toEqual([]);
    expect(summary.outcomes.map((o) => o.task).sort()).toEqual([...TASKS].sort());
  });

  for (const task of TASKS) {
    test(`${task} matches the reference tools`, () => {
      const r = result(task);
      expect(r.task_name).toBe(task);
      const entry = r.scores.test[0];
      expect(entry.hf_subset).toBe('default');
      for (const [metric, value] of Object.entries(expected[task])) {
        expect(entry).toHaveProperty(metric);
        const got = entry[metric] as number;
        // Thresholds are raw float32 similarities/distances (|x| up to ~50 here): numpy's BLAS dot sums in
        // another order than ours, so they agree to float32 precision (relative 1e-6), not absolute 1e-6.
        const tol = TOLERANCE[task] ?? (metric.endsWith('_threshold') ? 1e-6 * Math.max(1, Math.abs(value)) : 1e-6);
        if (Math.abs(got - value) > tol + 1e-12) throw new Error(`${task} ${metric}: got ${got}, expected ${value} (tolerance ${tol})`);
      }
    });
  }

  test('result files have mteb layout, model_meta.json and per-item sidecars', () => {
    const dir = path.join(outDir, 'golden__pinned', 'r1');
    expect(existsSync(path.join(dir, 'model_meta.json'))).toBe(true);
    const meta = parsePythonJson(readFileSync(path.join(dir, 'model_meta.json'), 'utf8'));
    expect(meta.name).toBe('golden/pinned');
    expect(meta.revision).toBe('r1');
    const r = result('DemoRetrieval');
    expect(Object.keys(r).sort()).toEqual(['dataset_revision', 'evaluation_time', 'kg_co2_emissions', 'mteb_ts', 'mteb_version', 'scores', 'task_name']);
    expect(r.dataset_revision).toBe('demo-v1');
    expect(r.scores.test[0].main_score).toBe(r.scores.test[0].ndcg_at_10);
    const items = JSON.parse(readFileSync(path.join(dir, 'DemoRetrieval.items.json'), 'utf8'));
    const perQuery = Object.values(items.splits.test.default.metrics.ndcg_at_10) as number[];
    expect(perQuery).toHaveLength(40);
    expect(perQuery.reduce((a, b) => a + b, 0) / 40).toBeCloseTo(expected.DemoRetrieval.ndcg_at_10, 5);
  });
});
