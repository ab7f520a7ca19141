import type { TaskAdapter } from './adapter.js';
import { loaders } from './loaders.js';
import { evaluatePairClassification } from '../metrics/pair-classification/index.js';
import { itemsFromArray } from './items.js';

export const pairClassificationAdapter: TaskAdapter = {
  type: 'PairClassification',
  async evaluate(ctx) {
    const d = await loaders.pairClassification(ctx);
    const e1 = await ctx.embed(d.sentence1, 'query', 'sentence1');
    const e2 = await ctx.embed(d.sentence2, 'query', 'sentence2');
    // mteb hands sklearn float32 embeddings, so its distances are float32: reproduce that arithmetic.
    const { scores, perItem } = evaluatePairClassification(e1, e2, d.labels, { protocol: ctx.spec.protocol ?? 'mteb-1', arithmetic: 'float32' });
    return { scores, items: itemsFromArray('cosine_similarity', perItem) };
  },
};
