import type { TaskAdapter } from '../adapter.js';
import type { SummarizationSpec } from '../spec.js';
import { splitArgs } from '../context.js';
import { loadSummarizationSplit } from './load.js';
import { evaluateSummarization } from './metrics.js';
import { itemsFromArray } from '../items.js';

export const summarizationAdapter: TaskAdapter<SummarizationSpec> = {
  async evaluate(ctx) {
    const { rows } = await loadSummarizationSplit(...splitArgs(ctx));
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
      variant: ctx.spec.summarization_variant,
      protocol: ctx.spec.protocol,
      relevanceRange: [ctx.spec.min_score, ctx.spec.max_score],
    });
    return { scores, items: itemsFromArray('cosine_spearman', perItem) };
  },
};
