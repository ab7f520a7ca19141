import type { TaskAdapter } from '../adapter.js';
import type { STSSpec } from '../spec.js';
import { splitArgs } from '../context.js';
import { loadSTSSplit } from './load.js';
import { evaluateSTS } from './metrics.js';
import { itemsFromArray } from '../items.js';

export const stsAdapter: TaskAdapter<STSSpec> = {
  async evaluate(ctx) {
    const d = await loadSTSSplit(...splitArgs(ctx));
    const e1 = await ctx.embed(d.sentence1, 'query', 'sentence1');
    const e2 = await ctx.embed(d.sentence2, 'query', 'sentence2');
    const { scores, perItem } = evaluateSTS(e1, e2, d.scores, {
      protocol: ctx.spec.protocol,
      scoreRange: [ctx.spec.min_score, ctx.spec.max_score],
      arithmetic: 'float32',
    });
    return { scores, items: itemsFromArray('cosine_similarity', perItem) };
  },
};
