import type { ClassificationSplit } from '../../core/datasets.js';
import { column } from '../../data/readers/rows.js';
import type { DatasetSource } from '../../data/source.js';
import { checkLimit, foldTable, label, str, withTask, type LoadOptions } from '../../data/split-rows.js';

/** Classification rows `text`, `label`. --limit N: first N rows. */
export function loadClassificationSplit(source: DatasetSource, task: { name: string }, split: string, subset = 'default', opts: LoadOptions = {}): Promise<ClassificationSplit> {
  return withTask(task.name, async () => {
    const limit = checkLimit(opts);
    const out: ClassificationSplit = { texts: [], labels: [] };
    await foldTable(source, task, split, subset, (r) => {
      out.texts.push(str(r, 'text'));
      out.labels.push(label(r, 'label', column(r, 'label')));
      return out.texts.length < limit;
    });
    return out;
  });
}
