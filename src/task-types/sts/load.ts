import type { STSSplit } from '../../core/datasets.js';
import type { DatasetSource } from '../../data/source.js';
import { checkLimit, foldTable, num, str, withTask, type LoadOptions } from '../../data/split-rows.js';

/** STS rows `sentence1`, `sentence2`, `score`. --limit N: first N pairs. */
export function loadSTSSplit(source: DatasetSource, task: { name: string }, split: string, subset = 'default', opts: LoadOptions = {}): Promise<STSSplit> {
  return withTask(task.name, async () => {
    const limit = checkLimit(opts);
    const out: STSSplit = { sentence1: [], sentence2: [], scores: [] };
    await foldTable(source, task, split, subset, (r) => {
      out.sentence1.push(str(r, 'sentence1'));
      out.sentence2.push(str(r, 'sentence2'));
      out.scores.push(num(r, 'score'));
      return out.scores.length < limit;
    });
    return out;
  });
}
