import { describe, test, expect } from '@jest/globals';
import path from 'node:path';
import { buildLeaderboard } from '../../src/leaderboard/build.js';
import { getBenchmarkRules, MTEB_ENG_V1, MTEB_ENG_V2 } from '../../src/leaderboard/rules.js';
import type { BenchmarkRules } from '../../src/leaderboard/rules.js';
import { benchmarkScoring, getBenchmark } from '../../src/registry/index.js';
import { leaderboardJson } from '../../reports/json.js';

const F = 'fixtures/results/formats/acme__legacy-model';

describe('MTEB(eng, v1) rules on every result-file format (fixtures/results/formats)', () => {
  // --accept-split-mislabels: the external MSMARCO file has only "test" (mteb's rule, the default, leaves it blank).
  const lb = buildLeaderboard([F], { benchmark: 'MTEB(eng, v1)', acceptSplitMislabels: true });
  const m = lb.models[0];
  const v = (t: string) => m.tasks[t].value;
  test('values x100 rounded to 2 decimals from the leaderboard metric of each format', () => {
    expect(v('STS12')).toBe(77.12); // pre-1.11 cos_sim.spearman
    expect(v('AmazonCounterfactualClassification')).toBe(75.12); // subset en, not en-ext / de
    expect(v('SprintDuplicateQuestions')).toBe(95.12); // cos_sim.ap, not max.ap 96.01
    expect(v('SummEval')).toBe(30.12);
    expect(v('TwitterSemEval2015')).toBe(78.12); // cosine_ap, not max_ap, test split not validation
    expect(v('STS13')).toBe(85.12); // revision folder wins over external
    expect(v('STS14')).toBe(82.09); // broken revision file -> external
    expect(v('MSMARCO')).toBe(46.49);
    expect(v('SciFact')).toBe(71.23);
    expect(v('STS22')).toBeNull();
  });
  test('unusable files are recorded with path, code and class: broken (even when shadowed) vs. lacking the subset', () => {
    const rev = path.resolve(F, "3333cccc3333cccc3333cccc3333cccc3333cccc");
    expect(m.unusable!.map((u) => [u.task, u.file, u.code, u.broken])).toEqual([
      ['STS14', `${rev}/STS14.json`, 'E_PARSE', true],
      ['STS22', `${rev}/STS22.json`, 'E_RESULTS', false],
    ]);
    expect(lb.unusable).toEqual(m.unusable);
    // The JSON report carries the same list, per model.
    const json = JSON.parse(leaderboardJson(lb)).models[0].unusable;
    expect(json.map((u: { task: string; code: string; broken: boolean }) => [u.task, u.code, u.broken])).toEqual([
      ['STS14', 'E_PARSE', true],
      ['STS22', 'E_RESULTS', false],
    ]);
    // The provenance of the file each value came from (the external STS14 file records no mteb version).
    expect(m.tasks.STS14.provenance).toEqual({ mtebVersion: null, datasetRevision: "6031580fec1f6af667f0bd2da0a551cf4f0b2375", protocol: null, limit: null });
  });
  test('each anomaly is a warning, nothing silently fixed', () => {
    expect(m.warnings).toEqual(expect.arrayContaining([
      'STS13: sources disagree: acme__legacy-model:external gives 83.12, used 85.12 from acme__legacy-model:3333cccc',
      expect.stringMatching(/^STS14: acme__legacy-model:3333cccc\/STS14\.json unusable: invalid JSON/),
      'STS22: acme__legacy-model:3333cccc/STS22.json unusable: no subset "en" in split "test" (holds only non-English subsets ["ru"])',
      'MSMARCO: split mislabel: file has only split "test", MTEB(eng, v1) uses "dev"; used the "test" values',
      'placeholder MRR values (0) ignored in 1 model-card file(s): MSMARCO',
    ]));
    expect(m.average).toBeNull();
    expect(m.rank).toBeNull();
    expect(m.warnings[0]).toMatch(/^average blank: 47 of 56 tasks missing \(AmazonPolarityClassification, /);
  });
  test('default (mteb): a file with only "test" is not used for "dev"; the file is named with the reason', () => {
    const d = buildLeaderboard([F], { benchmark: 'MTEB(eng, v1)' }).models[0];
    expect(d.tasks.MSMARCO.value).toBeNull();
    expect(d.warnings).toContain(
      'MSMARCO: acme__legacy-model:external/MSMARCO.json unusable: no split "dev" (has ["test"]); a "test" split is not used as "dev" (mteb leaves the task blank; --accept-split-mislabels uses it)',
    );
    expect(d.unusable!.find((u) => u.task === 'MSMARCO')!.broken).toBe(false);
  });
  test('--prefer external puts model-card files above the revision folder', () => {
    const lb2 = buildLeaderboard([F], { benchmark: 'MTEB(eng, v1)', prefer: ['external'] });
    expect(lb2.models[0].tasks.STS13.value).toBe(83.12);
    expect(lb2.models[0].layers).toEqual(['acme__legacy-model:external', 'acme__legacy-model:3333cccc', 'acme__legacy-model:no_revision_available']);
  });
  test('current rules read main_score, or the old main metric when a pre-1.11 file has none', () => {
    const lb2 = buildLeaderboard([F], { benchmark: 'MTEB(eng, v2)' });
    const t = lb2.models[0].tasks;
    expect(t.TwitterSemEval2015.value).toBeCloseTo(79, 10);
    expect(t.SprintDuplicateQuestions.value).toBeCloseTo(96.0125, 10);
    expect(t.SprintDuplicateQuestions.metric).toBe('max_ap');
    expect(t.STS12.metric).toBe('cos_sim_spearman');
  });
});

describe('revision choice', () => {
  const bench: BenchmarkRules = { ...MTEB_ENG_V2, name: 'two-tasks', tasks: MTEB_ENG_V2.tasks.filter((t) => t.name === 'STS12' || t.name === 'STS13') };
  const R = 'fixtures/results/revisions';
  test('default (mteb join_revisions): revisions merged task by task, newest mteb_version first', () => {
    const logs: string[] = [];
    const lb = buildLeaderboard([R], { benchmark: bench, log: (l) => logs.push(l) });
    const m = lb.models[0];
    expect(logs[0]).toBe('acme/multi: revisions mid2222, new1111, old0000 joined task by task (mteb join_revisions); sources: revisions:mid2222 > revisions:new1111 > revisions:old0000');
    // Same mteb_version everywhere, so our tie-break decides: newer `date` (STS12 of new1111; STS13 only in mid/old).
    expect(m.tasks.STS12.value).toBeCloseTo(90, 10);
    expect([m.tasks.STS12.source!.layer, m.tasks.STS13.source!.layer]).toEqual(['revisions:new1111', 'revisions:mid2222']);
    expect(m.revision).toBe('mid2222'); // ties on task count: folder name order
    expect(m.warnings).toContain('revisions joined task by task (mteb join_revisions): mid2222 1 task(s), new1111 1 task(s)');
  });
  test('--strict: the newest complete revision (by date), not the newest incomplete one', () => {
    const logs: string[] = [];
    const lb = buildLeaderboard([R], { benchmark: bench, log: (l) => logs.push(l), strict: true });
    expect(lb.models[0].revision).toBe('mid2222');
    expect(lb.models[0].tasks.STS12.value).toBeCloseTo(80, 10);
    expect(logs[0]).toBe('acme/multi: revision mid2222 (newest complete; others ignored: new1111, old0000); sources: revisions:mid2222');
  });
  test('--revision by prefix or per model', () => {
    expect(buildLeaderboard([R], { benchmark: bench, revision: ['new'] }).models[0].tasks.STS13.value).toBeNull();
    const old = buildLeaderboard([R], { benchmark: bench, revision: ['acme/multi=old0'] }).models[0];
    expect(old.tasks.STS12.value).toBeCloseTo(70, 10);
    expect(old.warnings).toEqual(['revisions:old0000/model_meta.json names model "acme/other", folder says "acme/multi"']);
    expect(old.meta).toEqual({ name: 'acme/other', revision: 'old0000', n_parameters: 1000 });
    expect(() => buildLeaderboard([R], { benchmark: bench, revision: ['zzz'] })).toThrow(/--revision zzz matches 0 revision folders \(available: mid2222, new1111, old0000\)/);
  });
});

describe('benchmark rules', () => {
  test('aliases and unknown names', () => {
    expect(getBenchmarkRules('MTEB(eng, classic)').name).toBe('MTEB(eng, v1)');
    expect(getBenchmarkRules('mteb(eng)').name).toBe('MTEB(eng, v2)');
    expect(() => getBenchmarkRules('MTEB(klingon)')).toThrow(/unknown benchmark/);
  });
  test('56 + 41 tasks with the published category counts', () => {
    const count = (b: BenchmarkRules) => Object.fromEntries([...new Set(b.tasks.map((t) => t.category))].map((c) => [c, b.tasks.filter((t) => t.category === c).length]));
    expect(count(MTEB_ENG_V1)).toEqual({ Classification: 12, Clustering: 11, PairClassification: 3, Reranking: 4, Retrieval: 15, STS: 10, Summarization: 1 });
    expect(count(MTEB_ENG_V2)).toEqual({ Classification: 8, Clustering: 8, PairClassification: 3, Reranking: 2, Retrieval: 10, STS: 9, Summarization: 1 });
  });
  test('task names, splits and subsets agree with the task registry (tasks/benchmarks.json)', () => {
    for (const b of [MTEB_ENG_V1, MTEB_ENG_V2]) {
      const reg = benchmarkScoring(getBenchmark(b.name)).map((t) => `${t.name}|${t.split}|${t.subsets.join(',')}`);
      expect(b.tasks.map((t) => `${t.name}|${t.split}|${t.subsets.join(',')}`).sort()).toEqual(reg.sort());
    }
  });
  test('other registry benchmarks are scored by their registry scoring', () => {
    const beir = getBenchmarkRules('BEIR');
    expect(beir.mode).toBe('current');
    expect(beir.tasks).toHaveLength(15);
    expect(beir.tasks.find((t) => t.name === 'MSMARCO')!.split).toBe('dev');
  });
});
