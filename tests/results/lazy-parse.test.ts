// The result reader parses only what a benchmark reads (issue 13, speed over the whole results repository):
// with a read plan only the planned subset entries are flattened, Python's NaN/Infinity tokens are rewritten
// only where a JSON value stands (never inside strings or keys), and discovery lists each folder once. What a
// reader sees must be what the eager reader gave: same values, same non-finite bookkeeping, same notes.
import { describe, test, expect } from '@jest/globals';
import path from 'node:path';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { discoverLayers } from '../../src/results/discover.js';
import { pythonJsonToJson, readResultFile, type ReadPlan } from '../../src/results/parse.js';
import { readPlans } from '../../src/leaderboard/load.js';
import { getBenchmarkRules } from '../../src/leaderboard/rules.js';

function resultFile(text: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'lazy-parse-'));
  writeFileSync(path.join(dir, 'X.json'), text);
  return path.join(dir, 'X.json');
}

describe('a read plan: only what the benchmark reads is flattened', () => {
  // NaN only in a split MTEB(eng, v1) does not read (validation), and in a side metric of the read one.
  const FILE = `{"task_name": "X", "mteb_version": "1.18.0", "scores": {
    "test": [{"hf_subset": "en", "main_score": 0.5, "ndcg_at_10": 0.5, "nauc": {"diff1": NaN}, "evaluation_time": 3},
             {"hf_subset": "de", "main_score": 0.75, "ndcg_at_10": 0.75, "scores_per_experiment": [{"a": 1}]}],
    "validation": [{"hf_subset": "en", "main_score": NaN, "ndcg_at_10": -Infinity},
                   {"hf_subset": "de", "main_score": 0.25, "cos_sim": {"spearman": 0.25}}]}}`;
  const PLAN: ReadPlan = { splits: new Set(['test']), subsets: new Set(['en']) };

  test('the planned entry is flattened as the file is read; the others are not, and say the same when asked', () => {
    const file = resultFile(FILE);
    const whole = readResultFile(file, 'X');
    const planned = readResultFile(file, 'X', PLAN);
    expect(planned.splits.test[0]).toEqual({ hfSubset: 'en', metrics: { ndcg_at_10: 0.5 }, mainScore: 0.5, nonFinite: ['nauc_diff1'] });
    expect(Object.getOwnPropertyDescriptor(planned.splits.test[0], 'metrics')!.value).toEqual({ ndcg_at_10: 0.5 });
    // Outside the plan: subset names and main scores at once, metrics only by reading the file again.
    const outside = [planned.splits.test[1], ...planned.splits.validation];
    expect(outside.map((e) => [e.hfSubset, e.mainScore])).toEqual([['de', 0.75], ['en', undefined], ['de', 0.25]]);
    expect(outside.map((e) => Object.getOwnPropertyDescriptor(e, 'metrics'))).toEqual([undefined, undefined, undefined]);
    writeFileSync(file, FILE.replace('0.25, "cos_sim": {"spearman": 0.25}', '0.25, "cos_sim": {"spearman": 0.5}'));
    expect(planned.splits.validation[1].metrics).toEqual({ cos_sim_spearman: 0.5 }); // read again, on first access
    expect(planned.splits.validation[0].nonFinite).toEqual(['ndcg_at_10', 'main_score']);
    expect(planned.splits.test[1].metrics).toEqual({ ndcg_at_10: 0.75 });
    expect(planned.splits.test[1].nonFinite).toBeUndefined();
    // File-level bookkeeping is the same with or without a plan: first token, main_score note, split names.
    expect([planned.nonFiniteToken, planned.notes, Object.keys(planned.splits)]).toEqual(['NaN', ['main_score is NaN in 1 subset(s): not a score'], ['test', 'validation']]);
    expect([whole.nonFiniteToken, whole.notes, whole.splits.validation[0].nonFinite]).toEqual(['NaN', ['main_score is NaN in 1 subset(s): not a score'], ['ndcg_at_10', 'main_score']]);
    expect(whole.splits.validation[1]).toEqual({ hfSubset: 'de', metrics: { cos_sim_spearman: 0.25 }, mainScore: 0.25 });
  });

  test('pre-1.11 files: the planned split and language only', () => {
    const file = resultFile('{"mteb_version": "1.0.0", "test": {"en": {"accuracy": 0.9}, "de": {"accuracy": 0.8}}, "validation": {"accuracy": 0.7}}');
    const r = readResultFile(file, 'X', PLAN);
    expect(r.format).toBe('pre-1.11');
    expect(r.splits.test[0]).toEqual({ hfSubset: 'en', metrics: { accuracy: 0.9 } });
    expect([r.splits.test[1].metrics, r.splits.validation[0].hfSubset, r.splits.validation[0].metrics]).toEqual([{ accuracy: 0.8 }, 'default', { accuracy: 0.7 }]);
  });

  test('a model-card file is read whole: placeholder MRR zeros are dropped in every split', () => {
    const file = resultFile('{"dataset_revision": null, "mteb_dataset_name": "MSMARCO", "dev": {"ndcg_at_10": 0.4, "mrr_at_10": 0}, "test": {"ndcg_at_10": 0.3, "mrr_at_10": 0}}');
    const r = readResultFile(file, 'MSMARCO', { splits: new Set(['dev']), subsets: new Set(['default']) });
    expect(r.notes).toEqual([
      'placeholder MRR values (all 0) in split "dev" subset "default" ignored',
      'placeholder MRR values (all 0) in split "test" subset "default" ignored',
    ]);
    expect(Object.getOwnPropertyDescriptor(r.splits.test[0], 'metrics')!.value).toEqual({ ndcg_at_10: 0.3 });
  });

  test('shape errors are found when the file is read, inside the plan or not', () => {
    expect(() => readResultFile(resultFile('{"scores": {"test": [], "dev": [3]}}'), 'T', PLAN)).toThrow(/subset entry is not an object/);
    expect(() => readResultFile(resultFile('{"scores": {"dev": [{"main_score": "high"}]}}'), 'T', PLAN)).toThrow(/main_score must be a number/);
  });

  test("the benchmark's plans: each rule's split and stand-ins, its subsets; forums as their aggregate", () => {
    const plans = readPlans(getBenchmarkRules('MTEB(eng, v1)'));
    const show = (t: string) => [[...plans.get(t)!.splits], [...plans.get(t)!.subsets]];
    expect(show('MSMARCO')).toEqual([['dev', 'test'], ['default']]);
    expect(show('AmazonCounterfactualClassification')).toEqual([['test'], ['en']]);
    expect(show('CQADupstackAndroidRetrieval')).toEqual([['test'], ['default']]);
    expect(plans.get('MassiveIntentClassification')!.subsets.has('de')).toBe(false);
  });
});

describe('Python tokens are rewritten only where a value stands', () => {
  test('values in objects and arrays, with any spacing', () => {
    const seen: string[] = [];
    expect(pythonJsonToJson('{"a": NaN, "b":-Infinity,"c": [Infinity, 1, NaN ],\n"d": NaN\n}', seen)).toBe('{"a": null, "b":null,"c": [null, 1, null ],\n"d": null\n}');
    expect(seen).toEqual(['NaN', '-Infinity', 'Infinity', 'NaN', 'NaN']);
  });

  test('keys and strings that hold the words are left alone, escaped quotes included', () => {
    const text = '{"NaN": 1, "Infinity_at_10": 2, "d": "a, NaN]", "e": "q\\" : NaN, ", "f": "\\\\", "g": NaN}';
    const seen: string[] = [];
    expect(pythonJsonToJson(text, seen)).toBe('{"NaN": 1, "Infinity_at_10": 2, "d": "a, NaN]", "e": "q\\" : NaN, ", "f": "\\\\", "g": null}');
    expect(seen).toEqual(['NaN']);
    expect(JSON.parse(pythonJsonToJson(text))).toEqual({ NaN: 1, Infinity_at_10: 2, d: 'a, NaN]', e: 'q" : NaN, ', f: '\\', g: null });
  });

  test('a file without the words is returned as it is; a word that is no value stays invalid JSON', () => {
    const plain = '{"a": 1}';
    expect(pythonJsonToJson(plain)).toBe(plain);
    expect(pythonJsonToJson('{"task": "NaN handling"}')).toBe('{"task": "NaN handling"}');
    expect(pythonJsonToJson('{"a": NaNa}')).toBe('{"a": NaNa}');
    expect(() => readResultFile(resultFile('{"scores": {"test": [{"x": 1 NaN}]}}'), 'X')).toThrow(/invalid JSON/);
  });
});

describe('discovery lists each folder once', () => {
  test('revision, external and flat layers, hidden folders skipped, a folder named X.json kept as a (broken) file', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'discover-'));
    const model = path.join(root, 'acme__m');
    for (const d of ['rev1', 'external', '.git', 'rev2/Bad.json', 'empty']) mkdirSync(path.join(model, d), { recursive: true });
    for (const f of ['rev1/B.json', 'rev1/A.json', 'rev1/model_meta.json', 'rev1/A.items.json', 'external/C.json', 'Flat.json', '.git/G.json']) writeFileSync(path.join(model, f), '{}');
    // Named as the model folder (a root whose subfolder holds task files is read as one model folder).
    const got = discoverLayers(model).map((l) => `${l.model}:${l.kind}:${l.name}:${[...l.files.keys()].join(',')}`);
    expect(got).toEqual(['acme/m:external:external:C', 'acme/m:revision:rev1:A,B', 'acme/m:revision:rev2:Bad', 'acme/m:flat:acme__m:Flat']);
    const other = path.join(root, 'acme__n', 'rev9');
    mkdirSync(other, { recursive: true });
    writeFileSync(path.join(other, 'D.json'), '{}');
    expect(discoverLayers(path.dirname(other)).map((l) => `${l.model}:${l.name}:${[...l.files.keys()].join(',')}`)).toEqual(['acme/n:rev9:D']);
    expect(() => readResultFile(path.join(model, 'rev2/Bad.json'), 'Bad')).toThrow(/cannot read result file/);
    expect(discoverLayers(path.join(model, 'rev1')).map((l) => `${l.model}:${l.name}`)).toEqual(['acme/m:rev1']);
  });
});
