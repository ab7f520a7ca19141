import { describe, test, expect } from '@jest/globals';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildLeaderboard } from '../../src/leaderboard/build.js';
import { CQADUPSTACK_FORUMS } from '../../src/leaderboard/rules.js';

/** A model folder with one revision holding the given forum scores (ndcg_at_10) and optionally an aggregate. */
function model(forums: Record<string, number>, aggregate?: number): string {
  const dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'cqa-')), 'acme__m', 'rev0');
  mkdirSync(dir, { recursive: true });
  const file = (task: string, v: number) =>
    writeFileSync(path.join(dir, `${task}.json`), JSON.stringify({ task_name: task, mteb_version: '1.12.0', dataset_revision: 'x', scores: { test: [{ ndcg_at_10: v, main_score: v, hf_subset: 'default' }] } }));
  for (const [f, v] of Object.entries(forums)) file(f, v);
  if (aggregate !== undefined) file('CQADupstackRetrieval', aggregate);
  return path.dirname(dir);
}
const all12 = Object.fromEntries(CQADUPSTACK_FORUMS.map((f, i) => [f, 0.3 + i * 0.02])); // mean 0.41
const cqa = (dir: string, strict = false) => buildLeaderboard([dir], { benchmark: 'MTEB(eng, v1)', strict, keepUnscored: true }).models[0]; // rows with no scored task are kept

describe('CQADupstackRetrieval = mean of the 12 forums', () => {
  test('12 forum files: their mean, x100, rounded; a matching aggregate raises nothing', () => {
    const m = cqa(model(all12, 0.41));
    expect(m.tasks.CQADupstackRetrieval.value).toBe(41);
    expect(m.warnings.filter((w) => w.startsWith('CQADupstackRetrieval'))).toEqual([]);
  });
  test('an aggregate that does not match its forums: used as is (mteb reads the file), flagged; --strict uses the forum mean', () => {
    const m = cqa(model(all12, 0.45));
    expect(m.tasks.CQADupstackRetrieval.value).toBe(45);
    expect(m.warnings).toContain("CQADupstackRetrieval: aggregate file acme__m:rev0 (45.00) does not match the mean of its 12 forum files (41.00); used the aggregate file (mteb's rule)");
    const s = cqa(model(all12, 0.45), true);
    expect(s.tasks.CQADupstackRetrieval.value).toBe(41);
    expect(s.warnings).toContain('CQADupstackRetrieval: aggregate file acme__m:rev0 (45.00) does not match the mean of its 12 forum files (41.00); used the forum mean');
  });
  test('forums missing and no aggregate: refused with the missing forums named', () => {
    const some = Object.fromEntries(Object.entries(all12).slice(0, 10));
    const m = cqa(model(some));
    expect(m.tasks.CQADupstackRetrieval.value).toBeNull();
    expect(m.warnings).toContain('CQADupstackRetrieval: no usable aggregate file and only 10 of 12 forum files usable (missing: Webmasters, Wordpress); the score is the mean of all 12');
    expect(cqa(model(some), true).warnings).toContain('CQADupstackRetrieval: refused in acme__m:rev0: only 10 of 12 forum files usable (missing: Webmasters, Wordpress); the score is the mean of all 12');
  });
  test('forums partly present beside a correct aggregate: the aggregate is used (bge-large case); --strict refuses it and says so', () => {
    const some = Object.fromEntries(Object.entries(all12).slice(0, 11));
    expect(cqa(model(some, 0.41)).tasks.CQADupstackRetrieval.value).toBe(41);
    const s = cqa(model(some, 0.41), true);
    expect(s.tasks.CQADupstackRetrieval.value).toBeNull();
    expect(s.warnings).toContain('CQADupstackRetrieval: refused in acme__m:rev0: only 11 of 12 forum files usable (missing: Wordpress); the score is the mean of all 12; aggregate file CQADupstackRetrieval.json (41.00) ignored (--strict)');
  });
  test('an aggregate equal to the mean of only the forums beside it is refused in both modes, named per model', () => {
    const some = Object.fromEntries(Object.entries(all12).slice(0, 11)); // mean 0.40
    const m = cqa(model(some, 0.4));
    expect(m.tasks.CQADupstackRetrieval.value).toBeNull();
    expect(m.warnings).toContain(
      'CQADupstackRetrieval: partial CQADupstack aggregate refused: acme__m:rev0/CQADupstackRetrieval.json (40.00) equals the mean of only 11 of 12 forums (Android, English, Gaming, Gis, Mathematica, Physics, Programmers, Stats, Tex, Unix, Webmasters)',
    );
  });
  test('an aggregate file alone is used as the authors wrote it', () => {
    expect(cqa(model({}, 0.5051)).tasks.CQADupstackRetrieval.value).toBe(50.51);
  });
});

describe('MTEB(eng, v1) table: models without any scored task', () => {
  test('are left out, as mteb leaves them out (and v2 always did)', () => {
    const dir = model({ [CQADUPSTACK_FORUMS[0]]: 0.3 });
    const logs: string[] = [];
    expect(buildLeaderboard([dir], { benchmark: 'MTEB(eng, v1)', log: (l) => logs.push(l) }).models).toEqual([]);
    expect(logs).toContain('acme/m: no task of MTEB(eng, v1) scored; left out of the table');
  });
});
