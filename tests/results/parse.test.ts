import { describe, test, expect } from '@jest/globals';
import path from 'node:path';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { discoverLayers, modelFromFolder } from '../../src/results/discover.js';
import { getMetric, parseResultJson, pythonJsonToJson, readResultFile } from '../../src/results/parse.js';
import { readItemsFile } from '../../src/results/items.js';

const F = 'fixtures/results/formats/acme__legacy-model';
const REV = `${F}/3333cccc3333cccc3333cccc3333cccc3333cccc`;

describe('result-file formats', () => {
  test('pre-1.11 monolingual with nested similarity dicts flattens to cos_sim_spearman', () => {
    const r = readResultFile(`${F}/no_revision_available/STS12.json`, 'STS12');
    expect(r.format).toBe('pre-1.11');
    expect(r.taskName).toBe('STS12');
    expect(r.splits.test).toHaveLength(1);
    expect(r.splits.test[0].hfSubset).toBe('default');
    expect(r.splits.test[0].metrics.cos_sim_spearman).toBe(0.771234);
    expect(r.splits.test[0].mainScore).toBeUndefined();
    expect(r.splits.test[0].metrics.evaluation_time).toBeUndefined();
  });
  test('pre-1.11 per-language nesting becomes one entry per subset, per split', () => {
    const r = readResultFile(`${F}/no_revision_available/AmazonCounterfactualClassification.json`, 'x');
    expect(r.splits.test.map((e) => e.hfSubset).sort()).toEqual(['de', 'en', 'en-ext']);
    expect(r.splits.test.find((e) => e.hfSubset === 'en')!.metrics.accuracy).toBe(0.751245);
    expect(r.splits.validation[0].metrics.accuracy).toBe(0.99);
  });
  test('pre-1.11 nested pair classification keeps cos_sim_ap and max_ap apart', () => {
    const m = readResultFile(`${F}/no_revision_available/SprintDuplicateQuestions.json`, 'x').splits.test[0].metrics;
    expect(m.cos_sim_ap).toBe(0.951234);
    expect(m.max_ap).toBe(0.960125);
    expect(getMetric(m, ['cos_sim_ap', 'cosine_ap'])).toEqual({ key: 'cos_sim_ap', value: 0.951234 });
  });
  test('1.11 entries with nested dicts, and flat cosine_ap entries', () => {
    const a = readResultFile(`${REV}/STS13.json`, 'STS13');
    expect(a.format).toBe('1.11+');
    expect(a.splits.test[0].metrics.cos_sim_spearman).toBe(0.851234);
    expect(a.splits.test[0].mainScore).toBe(0.851234);
    const b = readResultFile(`${REV}/TwitterSemEval2015.json`, 'x');
    expect(getMetric(b.splits.test[0].metrics, ['cos_sim_ap', 'cosine_ap'])).toEqual({ key: 'cosine_ap', value: 0.781249 });
    expect(Object.keys(b.splits).sort()).toEqual(['test', 'validation']);
  });
  test('external files: placeholder MRR zeros are removed and noted', () => {
    const r = readResultFile(`${F}/external/MSMARCO.json`, 'MSMARCO');
    expect(r.mtebVersion).toBeNull();
    expect(r.splits.test[0].metrics.mrr_at_10).toBeUndefined();
    expect(r.splits.test[0].metrics.ndcg_at_10).toBe(0.464912);
    expect(r.notes).toEqual(['placeholder MRR values (all 0) in split "test" subset "default" ignored']);
  });
  test('NaN / -Infinity tokens written by Python json are read as missing; only a non-finite main score is noted', () => {
    const r = readResultFile(`${REV}/SciFact.json`, 'SciFact');
    expect(r.splits.test[0].metrics.ndcg_at_10).toBe(0.71234);
    expect(r.splits.test[0].metrics.nauc_map_at_1_diff1).toBeUndefined();
    // NaN nAUC values are what mteb correctly writes for a constant curve: not an anomaly.
    expect(r.notes).toEqual([]);
    const dir = mkdtempSync(path.join(tmpdir(), 'nan-main-'));
    writeFileSync(path.join(dir, 'X.json'), '{"task_name": "X", "mteb_version": "1.18.0", "scores": {"test": [{"ndcg_at_10": NaN, "main_score": NaN, "hf_subset": "default"}]}}');
    expect(readResultFile(path.join(dir, 'X.json'), 'X').notes).toEqual(['main_score is NaN in 1 subset(s): not a score']);
    expect(pythonJsonToJson('{"a": "NaN in a string", "b": NaN}')).toBe('{"a": "NaN in a string", "b": null}');
  });
  test('broken JSON and bad shapes throw MtebError naming the file', () => {
    expect(() => readResultFile(`${REV}/STS14.json`, 'STS14')).toThrow(/invalid JSON/);
    try {
      readResultFile(`${REV}/STS14.json`, 'STS14');
    } catch (e: any) {
      expect(e.code).toBe('E_PARSE');
      expect(e.location.file).toBe(`${REV}/STS14.json`);
    }
    expect(() => parseResultJson({ scores: { test: {} } }, 'f.json', 'T')).toThrow(/split "test" must be a list/);
    expect(() => parseResultJson({ mteb_version: '1.0' }, 'f.json', 'T')).toThrow(/no split dict/);
  });
});

describe('discovery', () => {
  test('a model folder yields its revision, external and no_revision_available folders', () => {
    const layers = discoverLayers(F);
    expect(layers.map((l) => `${l.model}|${l.kind}|${l.name}`).sort()).toEqual([
      'acme/legacy-model|external|external',
      'acme/legacy-model|no_revision_available|no_revision_available',
      'acme/legacy-model|revision|3333cccc3333cccc3333cccc3333cccc3333cccc',
    ]);
    expect([...layers.find((l) => l.kind === 'external')!.files.keys()]).toEqual(['MSMARCO', 'STS13', 'STS14']);
  });
  test('a revision folder and a root resolve to the same model', () => {
    expect(discoverLayers(REV)[0].model).toBe('acme/legacy-model');
    expect(discoverLayers('fixtures/results/formats').map((l) => l.model)).toContain('acme/legacy-model');
    expect(modelFromFolder('intfloat__e5-mistral-7b-instruct')).toBe('intfloat/e5-mistral-7b-instruct');
  });
  test('model_meta.json and *.items.json are not task files', () => {
    const l = discoverLayers('fixtures/results/runs/baseline')[0];
    expect([...l.files.keys()].sort()).toEqual(['ArguAna', 'Banking77Classification', 'STS12']);
  });
  test('a missing path is an MtebError', () => {
    expect(() => discoverLayers('fixtures/results/nope')).toThrow(/not a directory/);
  });
  test('per-item sidecar is read next to its result file', () => {
    const f = path.join(discoverLayers('fixtures/results/runs/baseline')[0].dir, 'ArguAna.json');
    const items = readItemsFile(f)!;
    expect(items.taskName).toBe('ArguAna');
    expect(Object.keys(items.splits.test.default.metrics.ndcg_at_10)).toHaveLength(80);
    expect(readItemsFile(`${F}/external/MSMARCO.json`)).toBeUndefined();
  });
});

import { metaWarnings as metaWarningsForNames } from '../../src/results/model-meta.js';
describe('model_meta.json names compared as mteb writes folder names (model_name_as_path)', () => {
  test('spaces written as underscores agree; another name does not', () => {
    expect(metaWarningsForNames({ name: 'acme/My Model', revision: 'r1' }, 'acme/My_Model', 'r1', 'x:r1')).toEqual([]);
    expect(metaWarningsForNames({ name: 'acme/Other', revision: 'r1' }, 'acme/My_Model', 'r1', 'x:r1')).toEqual([
      'x:r1/model_meta.json names model "acme/Other", folder says "acme/My_Model"',
    ]);
  });
});
