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
const cqa = (dir: string) => buildLeaderboard([dir], { benchmark: 'MTEB(eng, v1)' }).models[0];

describe('CQADupstackRetrieval = mean of the 12 forums', () => {
  test('12 forum files: their mean, x100, rounded; a matching aggregate raises nothing', () => {
    const m = cqa(model(all12, 0.41));
    expect(m.tasks.CQADupstackRetrieval.value).toBe(41);
    expect(m.warnings.filter((w) => w.startsWith('CQADupstackRetrieval'))).toEqual([]);
  });
  test('an aggregate that does not match its forums is flagged and the forum mean used', () => {
    const m = cqa(model(all12, 0.45));
    expect(m.tasks.CQADupstackRetrieval.value).toBe(41);
    expect(m.warnings).toContain('CQADupstackRetrieval: aggregate file acme__m:rev0 (45.00) does not match the mean of its 12 forum files (41.00); used the forum mean');
  });
  test('forums missing and no aggregate: refused with the missing forums named', () => {
    const some = Object.fromEntries(Object.entries(all12).slice(0, 10));
    const m = cqa(model(some));
    expect(m.tasks.CQADupstackRetrieval.value).toBeNull();
    expect(m.warnings).toContain('CQADupstackRetrieval: refused in acme__m:rev0: only 10 of 12 forum files usable (missing: Webmasters, Wordpress); the score is the mean of all 12');
  });
  test('an aggregate file alone is used as the authors wrote it', () => {
    expect(cqa(model({}, 0.5051)).tasks.CQADupstackRetrieval.value).toBe(50.51);
  });
});
