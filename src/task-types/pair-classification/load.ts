import type { PairClassificationSplit } from '../../core/datasets.js';
import { column } from '../../data/readers/rows.js';
import type { DatasetSource } from '../../data/source.js';
import { badValue, checkLimit, foldTable, label, str, withTask, type LoadOptions } from '../../data/split-rows.js';

/**
 * Pair classification: one row holding lists `sent1|sentence1`, `sent2|sentence2`, `labels` (mteb 1.x files), or
 * one row per pair with scalar values. --limit N: first N pairs.
 */
export function loadPairClassificationSplit(source: DatasetSource, task: { name: string }, split: string, subset = 'default', opts: LoadOptions = {}): Promise<PairClassificationSplit> {
  return withTask(task.name, async () => {
    const limit = checkLimit(opts);
    const out: PairClassificationSplit = { sentence1: [], sentence2: [], labels: [] };
    await foldTable(source, task, split, subset, (r) => {
      const a = column(r, 'sent1', 'sentence1');
      const b = column(r, 'sent2', 'sentence2');
      const l = column(r, 'labels', 'label');
      const toLabel = (x: unknown): number => {
        const n = typeof x === 'boolean' ? (x ? 1 : 0) : x;
        if (n === 0 || n === 1) return n;
        throw badValue(r, 'labels', 'labels 0 or 1', x);
      };
      if (Array.isArray(a)) {
        if (!Array.isArray(b) || !Array.isArray(l) || b.length !== a.length || l.length !== a.length)
          throw badValue(r, 'labels', `lists sent1, sent2, labels of equal length (${a.length})`, { sent2: Array.isArray(b) ? b.length : b, labels: Array.isArray(l) ? l.length : l });
        for (let i = 0; i < a.length && out.labels.length < limit; i++) {
          if (typeof a[i] !== 'string' || typeof b[i] !== 'string') throw badValue(r, 'sent1', 'strings', [a[i], b[i]]);
          out.sentence1.push(a[i]);
          out.sentence2.push(b[i]);
          out.labels.push(toLabel(l[i]));
        }
      } else {
        out.sentence1.push(str(r, 'sent1', 'sentence1'));
        out.sentence2.push(str(r, 'sent2', 'sentence2'));
        out.labels.push(toLabel(l));
      }
      return out.labels.length < limit;
    });
    return out;
  });
}
