import type { TaskAdapter } from './adapter.js';
import { loaders } from './loaders.js';
import { evaluateBitextMining } from '../metrics/bitext/index.js';
import { itemsFromArray } from './items.js';

export const bitextMiningAdapter: TaskAdapter = {
  type: 'BitextMining',
  async evaluate(ctx) {
    const d = await loaders.bitext(ctx);
    const e1 = await ctx.embed(d.sentence1, 'query', 'sentence1');
    const e2 = await ctx.embed(d.sentence2, 'query', 'sentence2');
    const { scores, perItem } = evaluateBitextMining(e1, e2, {});
    return { scores, items: itemsFromArray('correct', perItem) };
  },
};
