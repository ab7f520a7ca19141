import type { RerankingLegacySplit } from '../../core/datasets.js';
import { column } from '../../data/readers/rows.js';
import type { DatasetSource } from '../../data/source.js';
import { badValue, checkLimit, foldTable, strList, withTask, type LoadOptions } from '../../data/split-rows.js';

/** Legacy reranking rows `query` (string or list of sub-queries), `positive`, `negative`. --limit N: first N rows. */
export function loadRerankingLegacySplit(source: DatasetSource, task: { name: string }, split: string, subset = 'default', opts: LoadOptions = {}): Promise<RerankingLegacySplit> {
  return withTask(task.name, async () => {
    const limit = checkLimit(opts);
    const out: RerankingLegacySplit = { rows: [] };
    await foldTable(source, task, split, subset, (r) => {
      const q = column(r, 'query');
      if (typeof q !== 'string' && !(Array.isArray(q) && q.every((x) => typeof x === 'string'))) throw badValue(r, 'query', 'a string or list of strings', q);
      out.rows.push({ query: q as string | string[], positive: strList(r, 'positive'), negative: strList(r, 'negative') });
      return out.rows.length < limit;
    });
    return out;
  });
}
