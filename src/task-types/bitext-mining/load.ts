import type { BitextSplit } from '../../core/datasets.js';
import type { DatasetSource } from '../../data/source.js';
import { checkLimit, foldTable, str, withTask, type LoadOptions } from '../../data/split-rows.js';

/** Bitext rows `sentence1`, `sentence2` (row i aligned). --limit N: first N pairs. */
export function loadBitextSplit(source: DatasetSource, task: { name: string }, split: string, subset = 'default', opts: LoadOptions = {}): Promise<BitextSplit> {
  return withTask(task.name, async () => {
    const limit = checkLimit(opts);
    const out: BitextSplit = { sentence1: [], sentence2: [] };
    await foldTable(source, task, split, subset, (r) => {
      out.sentence1.push(str(r, 'sentence1'));
      out.sentence2.push(str(r, 'sentence2'));
      return out.sentence1.length < limit;
    });
    return out;
  });
}
