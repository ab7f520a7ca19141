import { describe, test, expect, beforeAll } from '@jest/globals';
import { parsePythonJson } from '../../src/output/python-json.js';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runEvaluation, type RunSummary } from '../../src/run/runner.js';
import { resolveTasks, REPO_ROOT } from '../../src/registry/index.js';
import { PrecomputedEmbedder } from '../../src/embedders/precomputed/precomputed-embedder.js';
import { validating } from '../../src/embedders/validating-embedder.js';
import type { ResultFile } from '../../src/output/result-file.js';
import { applyClusteringTransforms, dropSingletonLabels, subsampleClusteringSplit } from '../../src/task-types/clustering/transforms.js';
import type { ClusteringFastSplit } from '../../src/core/datasets.js';
import type { TaskSpec } from '../../src/task-types/spec.js';
import { isMtebError } from '../../src/core/errors.js';

/**
 * End to end on the mteb 2.x paths: the V2* fixture tasks (reranking in retrieval format, max over
 * sub-queries, fast clustering with the v2 dataset transforms, classification/pair classification/retrieval
 * key sets of mteb 2) evaluated with pinned embeddings must give the values computed independently by
 * fixtures/golden/e2e-v2/make_goldens.py (mteb HEAD's evaluators over trec_eval, sklearn 1.2.1, numpy, random).
 */
const expected = JSON.parse(readFileSync(path.join(REPO_ROOT, 'fixtures/golden/e2e-v2/expected.json'), 'utf8')) as Record<
  string,
  Record<string, unknown>
>;
const TASKS = ['V2Retrieval', 'V2Reranking', 'V2RerankingSubqueries', 'V2ClusteringFast', 'V2ClusteringFlat', 'V2Classification', 'V2PairClassification'];

let summary: RunSummary;
let outDir: string;

beforeAll(async () => {
  outDir = mkdtempSync(path.join(tmpdir(), 'e2e-v2-'));
  const embedder = validating(await PrecomputedEmbedder.load(path.join(REPO_ROOT, 'fixtures/golden/e2e-v2/v2-embeddings.jsonl')));
  const tasks = resolveTasks(TASKS.map((t) => path.join(REPO_ROOT, 'fixtures/tasks', t, 'task.json')));
  summary = await runEvaluation({ tasks, embedder, outputDir: outDir, modelName: 'golden/pinned', modelRevision: 'r1', sklearn: '1.2' });
}, 120_000);

function result(task: string): ResultFile {
  return parsePythonJson(readFileSync(path.join(outDir, 'golden__pinned', 'r1', `${task}.json`), 'utf8'));
}

/** Every number of `want` (nested objects and arrays too) within 1e-6 of `got`; null = NaN. */
function compare(where: string, got: unknown, want: unknown): string[] {
  if (want === null) return got === null || (typeof got === 'number' && Number.isNaN(got)) ? [] : [`${where}: got ${JSON.stringify(got)}, expected NaN`];
  if (typeof want === 'number') {
    return typeof got === 'number' && Math.abs(got - want) <= 1e-6 + 1e-12 ? [] : [`${where}: got ${JSON.stringify(got)}, expected ${want}`];
  }
  if (Array.isArray(want)) {
    if (!Array.isArray(got) || got.length !== want.length) return [`${where}: got ${JSON.stringify(got)}, expected ${want.length} values`];
    return want.flatMap((w, i) => compare(`${where}[${i}]`, got[i], w));
  }
  if (typeof want === 'object') {
    if (typeof got !== 'object' || got === null) return [`${where}: missing`];
    return Object.entries(want as Record<string, unknown>).flatMap(([k, w]) => compare(`${where}.${k}`, (got as Record<string, unknown>)[k], w));
  }
  return [`${where}: unexpected golden value ${JSON.stringify(want)}`];
}

describe('mteb 2.x fixture tasks end to end against independent values', () => {
  test('every task succeeded', () => {
    expect(summary.outcomes.filter((o) => o.status === 'failed')).toEqual([]);
    expect(summary.outcomes.map((o) => o.task).sort()).toEqual([...TASKS].sort());
  });

  for (const task of TASKS) {
    test(`${task} matches mteb HEAD's evaluator`, () => {
      const r = result(task);
      expect(r.mteb_ts?.protocol).toBe('mteb-2');
      const entry = r.scores.test[0] as unknown as Record<string, unknown>;
      const want = expected[task];
      expect(Object.keys(want).length).toBeGreaterThanOrEqual(task.startsWith('V2Clustering') ? 6 : task === 'V2Classification' ? 9 : 25);
      expect(compare(task, entry, want)).toEqual([]);
    });
  }

  test('main scores are the mteb 2.x keys', () => {
    expect(result('V2Reranking').scores.test[0].main_score).toBe(expected.V2Reranking.map_at_1000);
    expect(result('V2RerankingSubqueries').scores.test[0].main_score).toBe(expected.V2RerankingSubqueries.max_over_subqueries_map_at_1000);
    expect(result('V2PairClassification').scores.test[0].main_score).toBeCloseTo(expected.V2PairClassification.max_ap as number, 6);
  });

  test('clustering transforms shaped the levels: hierarchical task has two levels, flat one level', () => {
    expect(Object.keys(result('V2ClusteringFast').scores.test[0].v_measures as object)).toEqual(['Level 0', 'Level 1']);
    expect(Object.keys(result('V2ClusteringFlat').scores.test[0].v_measures as object)).toEqual(['Level 0']);
  });

  test('adjusted mutual information: the keys of mteb HEAD, in its order, per level and per round', () => {
    for (const task of ['V2ClusteringFast', 'V2ClusteringFlat']) {
      const entry = result(task).scores.test[0] as unknown as Record<string, unknown>;
      const keys = Object.keys(entry).filter((k) => k.startsWith('v_measure') || k.startsWith('ami'));
      expect(keys).toEqual(['v_measures', 'v_measure', 'v_measure_std', 'ami_scores', 'ami', 'ami_std']);
      expect(compare(task, entry.ami_scores, expected[task].ami_scores)).toEqual([]);
      expect(Math.abs((entry.ami as number) - (expected[task].ami as number))).toBeLessThanOrEqual(1e-6);
      expect(Math.abs((entry.ami_std as number) - (expected[task].ami_std as number))).toBeLessThanOrEqual(1e-6);
    }
    expect(Object.keys(result('V2ClusteringFast').scores.test[0].ami_scores as object)).toEqual(['Level 0', 'Level 1']);
  });
});

/** A fixture's documents flattened as the loader flattens them, each sentence replaced by its flat index. */
function flatFixture(task: string): { data: ClusteringFastSplit; spec: TaskSpec } {
  const spec = resolveTasks([path.join(REPO_ROOT, 'fixtures/tasks', task, 'task.json')])[0];
  const rows = readFileSync(path.join(REPO_ROOT, 'fixtures/tasks', task, 'test.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  const labels: string[] = rows.flatMap((r) => (Array.isArray(r.labels) ? r.labels : [r.labels]));
  const split = (l: string) => (spec.label_separator ? l.split(spec.label_separator) : [l]);
  return { data: { sentences: labels.map((_, i) => String(i)), labels: labels.map(split) }, spec };
}

describe('v2 clustering dataset transforms against mteb + datasets', () => {
  const golden = expected.transforms as Record<string, { documents: number[]; labels: string[][] }>;
  for (const task of ['V2ClusteringFast', 'V2ClusteringFlat']) {
    test(`${task}: same documents in the same order, same label levels`, () => {
      const { data, spec } = flatFixture(task);
      const out = applyClusteringTransforms(data, spec);
      expect(out.sentences.map(Number)).toEqual(golden[task].documents);
      expect(out.labels).toEqual(golden[task].labels);
    });
  }

  test('singletons go with their documents; nothing else moves', () => {
    const d = { sentences: ['a', 'b', 'c', 'd', 'e'], labels: [['x'], ['y'], ['x'], ['z'], ['y']] };
    expect(dropSingletonLabels(d)).toEqual({ sentences: ['a', 'b', 'c', 'e'], labels: [['x'], ['y'], ['x'], ['y']] });
  });

  test('plain subsample = numpy default_rng(seed).permutation(n)[:size]', () => {
    const d = { sentences: Array.from({ length: 10 }, (_, i) => String(i)), labels: Array.from({ length: 10 }, () => ['x']) };
    // np.random.default_rng(42).permutation(10) = [5, 6, 0, 7, 3, 2, 4, 9, 1, 8]
    expect(subsampleClusteringSplit(d, { size: 4, stratified: false }).data.sentences).toEqual(['5', '6', '0', '7']);
  });

  test('a subsample not smaller than the split: plain raises (as datasets), stratified and --limit skip', () => {
    const d = { sentences: ['a', 'b', 'c'], labels: [['x'], ['y'], ['x']] };
    let err: unknown;
    try {
      subsampleClusteringSplit(d, { size: 3, stratified: false });
    } catch (e) {
      err = e;
    }
    expect(isMtebError(err) && err.code).toBe('E_BAD_VALUE');
    expect(subsampleClusteringSplit(d, { size: 3, stratified: true }).skipped).toMatch(/no subsampling/);
    expect(subsampleClusteringSplit(d, { size: 5, stratified: false, limited: true }).data).toBe(d);
  });
});
