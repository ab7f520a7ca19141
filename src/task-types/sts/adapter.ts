import type { TaskAdapter } from './adapter.js';
import { loaders } from './loaders.js';
import { evaluateSTS } from '../metrics/sts/index.js';
import { itemsFromArray } from './items.js';

export const stsAdapter: TaskAdapter = {
  type: 'STS',
  async evaluate(ctx) {
    const d = await loaders.sts(ctx);
    const e1 = await ctx.embed(d.sentence1, 'query', 'sentence1');
    const e2 = await ctx.embed(d.sentence2, 'query', 'sentence2');
    const { scores, perItem } = evaluateSTS(e1, e2, d.scores, {
      protocol: ctx.spec.protocol ?? 'mteb-1',
      scoreRange: [ctx.spec.min_score ?? 0, ctx.spec.max_score ?? 5],
      arithmetic: 'float32',
    });
    return { scores, items: itemsFromArray('cosine_similarity', perItem) };
  },
};
