import type { ClusteringFastSplit, ClusteringLegacySplit, Label } from '../../core/datasets.js';
import { column, type LocatedRow } from '../../data/readers/rows.js';
import type { DatasetSource } from '../../data/source.js';
import { badValue, checkLimit, foldTable, label, str, strList, withTask, type LoadOptions } from '../../data/split-rows.js';

/** Legacy clustering: each row `{sentences: [...], labels: [...]}` is one cluster set. --limit N: first N sets, first N sentences of each. */
export function loadClusteringLegacySplit(source: DatasetSource, task: { name: string }, split: string, subset = 'default', opts: LoadOptions = {}): Promise<ClusteringLegacySplit> {
  return withTask(task.name, async () => {
    const limit = checkLimit(opts);
    const out: ClusteringLegacySplit = { sets: [] };
    await foldTable(source, task, split, subset, (r) => {
      const sentences = strList(r, 'sentences');
      const labels = column(r, 'labels');
      if (!Array.isArray(labels) || labels.length !== sentences.length)
        throw badValue(r, 'labels', `a list of ${sentences.length} labels (one per sentence)`, Array.isArray(labels) ? `${labels.length} labels` : labels);
      const n = Math.min(sentences.length, limit);
      out.sets.push({ sentences: sentences.slice(0, n), labels: labels.slice(0, n).map((l) => label(r, 'labels', l)) });
      return out.sets.length < limit;
    });
    return out;
  });
}

/**
 * Fast clustering: one document per row `{sentences: str, labels: str | [levels...]}`. Rows in the legacy layout
 * (lists) are flattened in order, as the `.v2` tasks' dataset_transform does. `labelSeparator` splits string labels
 * into hierarchy levels (ArXivHierarchical: "."). --limit N: first N documents.
 */
export function loadClusteringFastSplit(
  source: DatasetSource,
  task: { name: string },
  split: string,
  subset = 'default',
  opts: LoadOptions & { labelSeparator?: string } = {},
): Promise<ClusteringFastSplit> {
  return withTask(task.name, async () => {
    const limit = checkLimit(opts);
    const out: ClusteringFastSplit = { sentences: [], labels: [] };
    const levels = (r: LocatedRow, v: unknown): Label[] => {
      if (Array.isArray(v)) return v.map((x) => label(r, 'labels', x));
      const l = label(r, 'labels', v);
      return typeof l === 'string' && opts.labelSeparator ? l.split(opts.labelSeparator) : [l];
    };
    await foldTable(source, task, split, subset, (r) => {
      const s = column(r, 'sentences', 'text');
      const l = column(r, 'labels', 'label');
      if (Array.isArray(s)) {
        if (!Array.isArray(l) || l.length !== s.length) throw badValue(r, 'labels', `a list of ${s.length} labels`, l);
        for (let i = 0; i < s.length && out.sentences.length < limit; i++) {
          if (typeof s[i] !== 'string') throw badValue(r, 'sentences', 'a list of strings', s[i]);
          out.sentences.push(s[i]);
          out.labels.push(levels(r, l[i]));
        }
      } else {
        if (typeof s !== 'string') throw badValue(r, 'sentences', 'a string', s);
        out.sentences.push(s);
        out.labels.push(levels(r, l));
      }
      return out.sentences.length < limit;
    });
    return out;
  });
}
