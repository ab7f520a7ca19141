import type { TaskAdapter } from '../adapter.js';
import type { BitextMiningSpec } from '../spec.js';
import { splitArgs } from '../context.js';
import { loadBitextSplit } from './load.js';
import { evaluateBitextMining } from './metrics.js';
import { itemsFromArray } from '../items.js';

export const bitextMiningAdapter: TaskAdapter<BitextMiningSpec> = {
  async evaluate(ctx) {
    const d = await loadBitextSplit(...splitArgs(ctx));
    const e1 = await ctx.embed(d.sentence1, 'query', 'sentence1');
    const e2 = await ctx.embed(d.sentence2, 'query', 'sentence2');
    const { scores, perItem } = await evaluateBitextMining(e1, e2, {});
    return { scores, items: itemsFromArray('correct', perItem) };
  },
};
