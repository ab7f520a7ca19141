import { describe, test, expect } from '@jest/globals';

describe('the task-type table', () => {
  test('every type has its entry, keyed by its own name; unknown names (incl. Object keys) are E_TASK_SCHEMA', async () => {
    const { TASK_TYPE_TABLE, TASK_TYPES, taskType } = await import('../../src/task-types/index.js');
    expect(TASK_TYPES.map((t) => TASK_TYPE_TABLE[t].type)).toEqual([...TASK_TYPES]);
    expect(TASK_TYPES.filter((t) => taskType(t).producesRankings)).toEqual(['Retrieval', 'Reranking']);
    expect(TASK_TYPES.filter((t) => taskType(t).splitsAcrossShards)).toEqual(['Retrieval']);
    for (const bad of ['Retreival', 'constructor', '__proto__'])
      expect(() => taskType(bad)).toThrow(expect.objectContaining({ code: 'E_TASK_SCHEMA' }));
  });

  test('defaults are filled once at load: a loaded spec states protocol and its type defaults, set fields win', async () => {
    const { withDefaults } = await import('../../src/task-types/validate.js');
    const base = { name: 'T', dataset: { path: 'x' }, eval_splits: ['test'], main_score: 'm' };
    expect(withDefaults({ ...base, type: 'Classification' as const, n_experiments: 3 })).toMatchObject({
      protocol: 'mteb-1', samples_per_label: 8, n_experiments: 3, train_split: 'train',
    });
    const clu = withDefaults({ ...base, type: 'Clustering' as const, max_fraction_of_documents_to_embed: null });
    expect([clu.clustering_variant, clu.max_fraction_of_documents_to_embed, clu.n_bootstrap_rounds]).toEqual(['legacy', null, 10]);
    expect(withDefaults({ ...base, type: 'STS' as const, protocol: 'mteb-2' as const })).toMatchObject({ protocol: 'mteb-2', min_score: 0, max_score: 5 });
  });
});
