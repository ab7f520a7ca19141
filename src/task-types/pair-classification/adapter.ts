import type { TaskAdapter } from '../adapter.js';
import type { PairClassificationSpec } from '../spec.js';
import { splitArgs } from '../context.js';
import { loadPairClassificationSplit } from './load.js';
import { evaluatePairClassification } from './metrics.js';
import { itemsFromArray } from '../items.js';

export const pairClassificationAdapter: TaskAdapter<PairClassificationSpec> = {
  async evaluate(ctx) {
    const d = await loadPairClassificationSplit(...splitArgs(ctx));
    const e1 = await ctx.embed(d.sentence1, 'query', 'sentence1');
    const e2 = await ctx.embed(d.sentence2, 'query', 'sentence2');
    // mteb hands sklearn float32 embeddings, so its distances are float32: reproduce that arithmetic.
    const { scores, perItem } = evaluatePairClassification(e1, e2, d.labels, { protocol: ctx.spec.protocol, arithmetic: 'float32' });
    return { scores, items: itemsFromArray('cosine_similarity', perItem) };
  },
};
