import type { TaskAdapter } from './adapter.js';
import { loaders } from './loaders.js';
import { evaluateSummarization } from '../metrics/summarization/index.js';
import { itemsFromArray } from './items.js';

export const summarizationAdapter: TaskAdapter = {
  type: 'Summarization',
  async evaluate(ctx) {
    const { rows } = await loaders.summarization(ctx);
    const human = await ctx.embed(rows.flatMap((r) => r.human_summaries), 'query', 'human summaries');
    const machine = await ctx.embed(rows.flatMap((r) => r.machine_summaries), 'query', 'machine summaries');
    const dim = human.dim;
    let h = 0, m = 0;
    const docs = rows.map((r) => {
      const doc = {
        human: { rows: r.human_summaries.length, dim, data: human.data.subarray(h * dim, (h + r.human_summaries.length) * dim) },
        machine: { rows: r.machine_summaries.length, dim, data: machine.data.subarray(m * dim, (m + r.machine_summaries.length) * dim) },
        relevance: r.relevance,
      };
      h += r.human_summaries.length;
      m += r.machine_summaries.length;
      return doc;
    });
    const { scores, perItem } = evaluateSummarization(docs, {
      variant: ctx.spec.summarization_variant ?? 'fixed',
      protocol: ctx.spec.protocol ?? 'mteb-1',
      relevanceRange: [ctx.spec.min_score ?? 0, ctx.spec.max_score ?? 5],
    });
    return { scores, items: itemsFromArray('cosine_spearman', perItem) };
  },
};
