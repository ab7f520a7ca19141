import type { SummarizationSplit } from '../../core/datasets.js';
import { column } from '../../data/readers/rows.js';
import type { DatasetSource } from '../../data/source.js';
import { badValue, checkLimit, foldTable, str, strList, withTask, type LoadOptions } from '../../data/split-rows.js';

/** Summarization rows `text`, `human_summaries`, `machine_summaries`, `relevance` (+ `id`). --limit N: first N documents. */
export function loadSummarizationSplit(source: DatasetSource, task: { name: string }, split: string, subset = 'default', opts: LoadOptions = {}): Promise<SummarizationSplit> {
  return withTask(task.name, async () => {
    const limit = checkLimit(opts);
    const out: SummarizationSplit = { rows: [] };
    await foldTable(source, task, split, subset, (r) => {
      const machine = strList(r, 'machine_summaries');
      const rel = column(r, 'relevance');
      if (!Array.isArray(rel) || rel.length !== machine.length || !rel.every((x) => typeof x === 'number' && Number.isFinite(x)))
        throw badValue(r, 'relevance', `a list of ${machine.length} numbers (one per machine summary)`, rel);
      const id = r.row.id;
      out.rows.push({
        ...(id !== undefined && id !== null ? { id: String(id) } : {}),
        text: str(r, 'text'),
        human_summaries: strList(r, 'human_summaries'),
        machine_summaries: machine,
        relevance: rel as number[],
      });
      return out.rows.length < limit;
    });
    return out;
  });
}
