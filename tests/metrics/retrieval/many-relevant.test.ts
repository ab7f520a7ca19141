import { describe, test, expect } from '@jest/globals';
import { evaluateRetrieval } from '../../../src/metrics/retrieval/evaluate.js';

/**
 * Regression for the scratch-buffer bug: the per-query buffer of retrieved relevant docs grew from 64 slots
 * without keeping what it already held, so any query with more than 64 relevant docs retrieved was scored from
 * garbage (ndcg@10 1 instead of 0.2201). Values from trec_eval 9.0.8 (ndcg_cut_10 0.2201, P_10 0.1000) and
 * by hand: one relevant doc in the top 10, 70 judged relevant.
 */
describe('queries with more relevant documents than the initial scratch size', () => {
  test('70 relevant, the first ranked first, the rest below 200 non-relevant', () => {
    const rels = new Map<string, number>();
    const run = new Map<string, number>();
    for (let i = 0; i < 70; i++) rels.set(`r${i}`, 1);
    run.set('r0', 100);
    for (let i = 0; i < 200; i++) run.set(`n${i}`, 50 - i * 0.1);
    for (let i = 1; i < 70; i++) run.set(`r${i}`, -i);
    const r = evaluateRetrieval(new Map([['q', rels]]), new Map([['q', run]]), { protocol: 'mteb-1', kValues: [10, 1000] });
    expect(r.scores.ndcg_at_10).toBe(0.22009);
    expect(r.scores.precision_at_10).toBe(0.1);
    expect(r.scores.recall_at_10).toBe(0.01429);
    expect(r.scores.map_at_10).toBe(0.01429);
    expect(r.scores.recall_at_1000).toBe(1);
    // AP over the full ranking: 1/1 + sum_{j=2..70} j / (200 + j), divided by 70.
    let ap = 1;
    for (let j = 2; j <= 70; j++) ap += j / (200 + j);
    expect(r.perQuery.get('q')!.map_at_1000).toBeCloseTo(ap / 70, 14);
  });

  test('a second query after a large one is not affected by the grown buffers', () => {
    const big = new Map<string, number>();
    const bigRun = new Map<string, number>();
    for (let i = 0; i < 300; i++) {
      big.set(`d${i}`, 1 + (i % 3));
      bigRun.set(`d${i}`, 1000 - i);
    }
    const small = new Map([['a', 1]]);
    const smallRun = new Map([['b', 2], ['a', 1]]);
    const r = evaluateRetrieval(
      new Map([['big', big], ['small', small]]),
      new Map([['big', bigRun], ['small', smallRun]]),
      { protocol: 'mteb-1', kValues: [1, 10] },
    );
    expect(r.perQuery.get('small')!.ndcg_at_10).toBeCloseTo(1 / Math.log2(3), 15);
    expect(r.perQuery.get('small')!.precision_at_1).toBe(0);
    // 300 relevant docs ranked in order of id index; gains 1,2,3 repeating; ideal puts all 3s first.
    let dcg = 0;
    for (let i = 0; i < 10; i++) dcg += (1 + (i % 3)) / Math.log2(i + 2);
    let ideal = 0;
    for (let i = 0; i < 10; i++) ideal += 3 / Math.log2(i + 2);
    expect(r.perQuery.get('big')!.ndcg_at_10).toBeCloseTo(dcg / ideal, 14);
    expect(r.perQuery.get('big')!.precision_at_10).toBe(1);
  });
});
