// The result reader parses only what a benchmark reads (issue 13, speed over the whole results repository):
// subset entries flatten their metrics on first read, Python's NaN/Infinity tokens are rewritten only where a
// JSON value stands (never inside strings or keys), and discovery lists each folder once. What a reader sees
// must be what the eager reader gave: same values, same non-finite bookkeeping, same notes.
import { describe, test, expect } from '@jest/globals';
import path from 'node:path';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { discoverLayers } from '../../src/results/discover.js';
import { parseResultJson, pythonJsonToJson, readResultFile } from '../../src/results/parse.js';

function resultFile(text: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'lazy-parse-'));
  writeFileSync(path.join(dir, 'X.json'), text);
  return path.join(dir, 'X.json');
}

describe('lazy subset entries', () => {
  // NaN only in a split MTEB(eng, v1) does not read (validation), and in a side metric of the read one.
  const FILE = `{"task_name": "X", "mteb_version": "1.18.0", "scores": {
    "test": [{"hf_subset": "en", "main_score": 0.5, "ndcg_at_10": 0.5, "nauc": {"diff1": NaN}, "evaluation_time": 3}],
    "validation": [{"hf_subset": "en", "main_score": NaN, "ndcg_at_10": -Infinity},
                   {"hf_subset": "de", "main_score": 0.25, "cos_sim": {"spearman": 0.25}}]}}`;

  test('the split a benchmark reads gives its values; the NaN split keeps its bookkeeping', () => {
    const r = readResultFile(resultFile(FILE), 'X');
    expect(r.splits.test).toEqual([{ hfSubset: 'en', metrics: { ndcg_at_10: 0.5 }, mainScore: 0.5, nonFinite: ['nauc_diff1'] }]);
    expect(r.splits.validation[0].nonFinite).toEqual(['ndcg_at_10', 'main_score']);
    expect(r.splits.validation[0].mainScore).toBeUndefined();
    expect(r.splits.validation[1].metrics).toEqual({ cos_sim_spearman: 0.25 });
    expect(r.splits.validation[1].nonFinite).toBeUndefined();
    // The first token of the file names the non-finite value; one main_score is NaN, in the unread split.
    expect(r.nonFiniteToken).toBe('NaN');
    expect(r.notes).toEqual(['main_score is NaN in 1 subset(s): not a score']);
  });

  test('metrics are flattened on first read, once, and serialise as the eager entry did', () => {
    const r = parseResultJson(JSON.parse('{"scores": {"test": [{"hf_subset": "default", "main_score": 0.7, "map": 0.7, "mrr": {"at_10": 0.6}}]}}'), 'f.json', 'T');
    const e = r.splits.test[0];
    expect(typeof Object.getOwnPropertyDescriptor(e, 'metrics')!.get).toBe('function');
    expect(e.metrics).toBe(e.metrics);
    expect(JSON.stringify(e)).toBe('{"hfSubset":"default","metrics":{"map":0.7,"mrr_at_10":0.6},"mainScore":0.7}');
    const pre = parseResultJson({ mteb_version: '1.0.0', test: { en: { accuracy: 0.9 }, de: { accuracy: 0.8 } } }, 'f.json', 'T');
    expect(JSON.stringify(pre.splits.test)).toBe('[{"hfSubset":"en","metrics":{"accuracy":0.9}},{"hfSubset":"de","metrics":{"accuracy":0.8}}]');
  });

  test('shape errors are still found when the file is read, not when a split is', () => {
    expect(() => parseResultJson({ scores: { test: [], dev: [3] } }, 'f.json', 'T')).toThrow(/subset entry is not an object/);
    expect(() => parseResultJson({ scores: { dev: [{ main_score: 'high' }] } }, 'f.json', 'T')).toThrow(/main_score must be a number/);
  });

  test('placeholder MRR zeros of a model-card file are dropped in every split, read or not', () => {
    const r = parseResultJson({ dev: { ndcg_at_10: 0.4, mrr_at_10: 0 }, test: { ndcg_at_10: 0.3, mrr_at_10: 0 } }, 'f.json', 'MSMARCO');
    expect(r.notes).toEqual([
      'placeholder MRR values (all 0) in split "dev" subset "default" ignored',
      'placeholder MRR values (all 0) in split "test" subset "default" ignored',
    ]);
    expect(r.splits.test[0].metrics).toEqual({ ndcg_at_10: 0.3 });
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
