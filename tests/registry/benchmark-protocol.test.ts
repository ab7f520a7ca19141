import { describe, test, expect } from '@jest/globals';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { benchmarkTaskSpecs, getBenchmark, getTask, readBenchmarksFile, resolveTasks, REPO_ROOT } from '../../src/registry/index.js';
import { taskSchemaIssues } from '../../src/task-types/validate.js';
import { isMtebError } from '../../src/core/errors.js';
import { runEvaluation } from '../../src/run/runner.js';
import { PrecomputedEmbedder } from '../../src/embedders/precomputed/precomputed-embedder.js';

describe('benchmark-level protocol', () => {
  test('MTEB(eng, v2) scores every task with mteb-2, also those registered as mteb-1', () => {
    const v2 = getBenchmark('MTEB(eng, v2)');
    expect(v2.protocol).toBe('mteb-2');
    expect(getTask('ArguAna').protocol).toBe('mteb-1');
    expect(getTask('SprintDuplicateQuestions').protocol).toBe('mteb-1');
    const specs = benchmarkTaskSpecs(v2);
    expect(specs).toHaveLength(41);
    expect(specs.every((s) => s.protocol === 'mteb-2')).toBe(true);
    expect(specs.find((s) => s.name === 'ArguAna')?.ignore_identical_ids).toBe(true);
    // the registry entry itself is untouched
    expect(getTask('ArguAna').protocol).toBe('mteb-1');
  });

  test('a benchmark without protocol keeps each task its own', () => {
    const v1 = benchmarkTaskSpecs(getBenchmark('MTEB(eng, v1)'));
    expect(new Set(v1.map((s) => s.protocol))).toEqual(new Set(['mteb-1']));
    expect(getBenchmark('BEIR').protocol).toBeUndefined();
    const demo = benchmarkTaskSpecs(getBenchmark('demo'));
    expect(demo.find((s) => s.name === 'DemoRetrieval')?.protocol).toBe('mteb-1');
  });

  test('an unknown protocol in a benchmarks file is a schema error naming the field', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'bench-'));
    const file = path.join(dir, 'benchmarks.json');
    writeFileSync(file, JSON.stringify({ benchmarks: [{ name: 'x', description: '', tasks: ['ArguAna'], protocol: 'mteb-3', scoring: {} }] }));
    let err: unknown;
    try {
      readBenchmarksFile(file);
    } catch (e) {
      err = e;
    }
    expect(isMtebError(err) && err.code).toBe('E_TASK_SCHEMA');
    expect(isMtebError(err) && err.location.field).toBe('benchmarks[0].protocol');
  });
});

describe('v2 clustering transform fields', () => {
  test('registry: the v2 tasks carry their mteb dataset_transform as data', () => {
    expect(getTask('ArXivHierarchicalClusteringP2P')).toMatchObject({ label_separator: '.', test_subsample: { size: 2048, stratified: false, seed: 42 } });
    expect(getTask('ArXivHierarchicalClusteringS2S')).toMatchObject({ label_separator: '.', test_subsample: { size: 2048, stratified: false, seed: 42 } });
    expect(getTask('StackExchangeClustering.v2')).toMatchObject({ max_fraction_of_documents_to_embed: null, test_subsample: { size: 2048, stratified: true } });
    expect(getTask('StackExchangeClusteringP2P.v2').drop_singleton_labels).toBe(true);
    expect(getTask('BiorxivClusteringP2P.v2').test_subsample).toBeUndefined();
  });

  test('schema rejects malformed values with the path', () => {
    const base = { name: 'T', type: 'Clustering', dataset: { path: '.' }, eval_splits: ['test'], main_score: 'v_measure' };
    expect(taskSchemaIssues({ ...base, test_subsample: { size: 10, stratified: true } })).toEqual([]);
    expect(taskSchemaIssues({ ...base, test_subsample: { size: 0, stratified: true } }).map((i) => i.path)).toEqual(['$.test_subsample']);
    expect(taskSchemaIssues({ ...base, test_subsample: { size: 5, stratified: 'yes' } }).map((i) => i.path)).toEqual(['$.test_subsample']);
    expect(taskSchemaIssues({ ...base, test_subsample: { size: 5, stratified: false, sede: 1 } })[0].message).toMatch(/unknown key "sede"/);
    expect(taskSchemaIssues({ ...base, drop_singleton_labels: 1 }).map((i) => i.path)).toEqual(['$.drop_singleton_labels']);
    expect(taskSchemaIssues({ ...base, label_separator: '' }).map((i) => i.path)).toEqual(['$.label_separator']);
  });
});

describe('resume only over a result of the same protocol', () => {
  test('a result written under another protocol is never silently replaced; same protocol or a plain mteb file is kept', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'resume-'));
    const embedder = await PrecomputedEmbedder.load(path.join(REPO_ROOT, 'fixtures/golden/e2e-v2/v2-embeddings.jsonl'));
    const [spec] = resolveTasks([path.join(REPO_ROOT, 'fixtures/tasks/V2PairClassification/task.json')]);
    const run = (protocol: 'mteb-1' | 'mteb-2', overwrite = false) =>
      runEvaluation({ tasks: [{ ...spec, protocol }], embedder, outputDir: out, modelName: 'm', modelRevision: 'r', overwrite });
    const file = path.join(out, 'm', 'r', 'V2PairClassification.json');

    expect((await run('mteb-1')).outcomes[0].status).toBe('done');
    expect(JSON.parse(readFileSync(file, 'utf8')).mteb_ts.protocol).toBe('mteb-1');
    expect((await run('mteb-1')).outcomes[0].status).toBe('skipped');
    const refused = (await run('mteb-2')).outcomes[0];
    expect(refused).toMatchObject({ status: 'failed', errorCode: 'E_RESULTS' });
    expect(JSON.parse(readFileSync(file, 'utf8')).mteb_ts.protocol).toBe('mteb-1');
    expect((await run('mteb-2', true)).outcomes[0].status).toBe('done');
    expect(JSON.parse(readFileSync(file, 'utf8')).mteb_ts.protocol).toBe('mteb-2');
    expect((await run('mteb-2')).outcomes[0].status).toBe('skipped');

    const plain = JSON.parse(readFileSync(file, 'utf8'));
    delete plain.mteb_ts;
    writeFileSync(file, JSON.stringify(plain));
    expect((await run('mteb-1')).outcomes[0].status).toBe('skipped');
  });
});
