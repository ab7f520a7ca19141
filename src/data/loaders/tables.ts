import type {
  BitextSplit,
  ClassificationSplit,
  ClusteringFastSplit,
  ClusteringLegacySplit,
  Label,
  PairClassificationSplit,
  RerankingLegacySplit,
  STSSplit,
  SummarizationSplit,
} from '../../core/datasets.js';
import type { TaskSpec } from '../../core/task-spec.js';
import { column, type LocatedRow } from '../readers/rows.js';
import type { DatasetSource } from '../source.js';
import { badValue, checkLimit, findTable, num, rowsOf, str, strList, withTask, type LoadOptions } from './common.js';

/** Loads the rows of one (subset, split) table and folds them with `each` until it returns false. */
async function fold(
  source: DatasetSource,
  spec: TaskSpec,
  split: string,
  subset: string,
  each: (r: LocatedRow) => boolean | void,
): Promise<void> {
  const found = findTable(source, spec, split, subset);
  for await (const r of rowsOf(source, found)) if (each(r) === false) return;
}

function label(r: LocatedRow, field: string, v: unknown): Label {
  if (typeof v === 'string' || typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  throw badValue(r, field, 'a label (string or number)', v);
}

/** Classification rows `text`, `label`. --limit N: first N rows. */
export function loadClassificationSplit(source: DatasetSource, spec: TaskSpec, split: string, subset = 'default', opts: LoadOptions = {}): Promise<ClassificationSplit> {
  return withTask(spec.name, async () => {
    const limit = checkLimit(opts);
    const out: ClassificationSplit = { texts: [], labels: [] };
    await fold(source, spec, split, subset, (r) => {
      out.texts.push(str(r, 'text'));
      out.labels.push(label(r, 'label', column(r, 'label')));
      return out.texts.length < limit;
    });
    return out;
  });
}

/** Legacy clustering: each row `{sentences: [...], labels: [...]}` is one cluster set. --limit N: first N sets, first N sentences of each. */
export function loadClusteringLegacySplit(source: DatasetSource, spec: TaskSpec, split: string, subset = 'default', opts: LoadOptions = {}): Promise<ClusteringLegacySplit> {
  return withTask(spec.name, async () => {
    const limit = checkLimit(opts);
    const out: ClusteringLegacySplit = { sets: [] };
    await fold(source, spec, split, subset, (r) => {
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
  spec: TaskSpec,
  split: string,
  subset = 'default',
  opts: LoadOptions & { labelSeparator?: string } = {},
): Promise<ClusteringFastSplit> {
  return withTask(spec.name, async () => {
    const limit = checkLimit(opts);
    const out: ClusteringFastSplit = { sentences: [], labels: [] };
    const levels = (r: LocatedRow, v: unknown): Label[] => {
      if (Array.isArray(v)) return v.map((x) => label(r, 'labels', x));
      const l = label(r, 'labels', v);
      return typeof l === 'string' && opts.labelSeparator ? l.split(opts.labelSeparator) : [l];
    };
    await fold(source, spec, split, subset, (r) => {
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

/**
 * Pair classification: one row holding lists `sent1|sentence1`, `sent2|sentence2`, `labels` (mteb 1.x files), or
 * one row per pair with scalar values. --limit N: first N pairs.
 */
export function loadPairClassificationSplit(source: DatasetSource, spec: TaskSpec, split: string, subset = 'default', opts: LoadOptions = {}): Promise<PairClassificationSplit> {
  return withTask(spec.name, async () => {
    const limit = checkLimit(opts);
    const out: PairClassificationSplit = { sentence1: [], sentence2: [], labels: [] };
    await fold(source, spec, split, subset, (r) => {
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

/** STS rows `sentence1`, `sentence2`, `score`. --limit N: first N pairs. */
export function loadSTSSplit(source: DatasetSource, spec: TaskSpec, split: string, subset = 'default', opts: LoadOptions = {}): Promise<STSSplit> {
  return withTask(spec.name, async () => {
    const limit = checkLimit(opts);
    const out: STSSplit = { sentence1: [], sentence2: [], scores: [] };
    await fold(source, spec, split, subset, (r) => {
      out.sentence1.push(str(r, 'sentence1'));
      out.sentence2.push(str(r, 'sentence2'));
      out.scores.push(num(r, 'score'));
      return out.scores.length < limit;
    });
    return out;
  });
}

/** Summarization rows `text`, `human_summaries`, `machine_summaries`, `relevance` (+ `id`). --limit N: first N documents. */
export function loadSummarizationSplit(source: DatasetSource, spec: TaskSpec, split: string, subset = 'default', opts: LoadOptions = {}): Promise<SummarizationSplit> {
  return withTask(spec.name, async () => {
    const limit = checkLimit(opts);
    const out: SummarizationSplit = { rows: [] };
    await fold(source, spec, split, subset, (r) => {
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

/** Legacy reranking rows `query` (string or list of sub-queries), `positive`, `negative`. --limit N: first N rows. */
export function loadRerankingLegacySplit(source: DatasetSource, spec: TaskSpec, split: string, subset = 'default', opts: LoadOptions = {}): Promise<RerankingLegacySplit> {
  return withTask(spec.name, async () => {
    const limit = checkLimit(opts);
    const out: RerankingLegacySplit = { rows: [] };
    await fold(source, spec, split, subset, (r) => {
      const q = column(r, 'query');
      if (typeof q !== 'string' && !(Array.isArray(q) && q.every((x) => typeof x === 'string'))) throw badValue(r, 'query', 'a string or list of strings', q);
      out.rows.push({ query: q as string | string[], positive: strList(r, 'positive'), negative: strList(r, 'negative') });
      return out.rows.length < limit;
    });
    return out;
  });
}

/** Bitext rows `sentence1`, `sentence2` (row i aligned). --limit N: first N pairs. */
export function loadBitextSplit(source: DatasetSource, spec: TaskSpec, split: string, subset = 'default', opts: LoadOptions = {}): Promise<BitextSplit> {
  return withTask(spec.name, async () => {
    const limit = checkLimit(opts);
    const out: BitextSplit = { sentence1: [], sentence2: [] };
    await fold(source, spec, split, subset, (r) => {
      out.sentence1.push(str(r, 'sentence1'));
      out.sentence2.push(str(r, 'sentence2'));
      return out.sentence1.length < limit;
    });
    return out;
  });
}
