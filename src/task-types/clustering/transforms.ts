/**
 * The `dataset_transform`s of mteb 2.x's fast clustering tasks, driven by task-spec fields instead of task
 * names so a user task file can ask for the same treatment. The loader has already flattened rows to one
 * document each and split labels on `label_separator`; what is left happens here, in mteb's order:
 * singleton labels are dropped, then the split is subsampled. Both run before the 4 % downsampling, which
 * draws from the task's Python RNG; the subsample uses its own numpy Generator(seed), as `datasets` does.
 */
import type { ClusteringFastSplit, Label } from '../../core/datasets.js';
import { MtebError } from '../../core/errors.js';
import type { ClusteringSpec } from '../spec.js';
import { stratifiedSubsample } from '../../metrics/classification/stratified-subsample.js';
import { defaultRng } from '../../rng/numpy-generator.js';

function pick(data: ClusteringFastSplit, rows: readonly number[]): ClusteringFastSplit {
  return { sentences: rows.map((i) => data.sentences[i]), labels: rows.map((i) => data.labels[i]) };
}

/**
 * StackExchangeClusteringP2P.v2: a label seen once is removed with its document. mteb compares whole label
 * values, so documents are keyed on their full label path.
 */
export function dropSingletonLabels(data: ClusteringFastSplit): ClusteringFastSplit {
  const key = (l: readonly Label[]) => JSON.stringify(l);
  const counts = new Map<string, number>();
  for (const l of data.labels) counts.set(key(l), (counts.get(key(l)) ?? 0) + 1);
  const keep: number[] = [];
  data.labels.forEach((l, i) => {
    if (counts.get(key(l))! > 1) keep.push(i);
  });
  return keep.length === data.labels.length ? data : pick(data, keep);
}

export interface SubsampleOutcome {
  data: ClusteringFastSplit;
  /** Set when the subsample was not drawn (split not larger than `size`), with the reason. */
  skipped?: string;
}

/**
 * `Dataset.train_test_split(test_size=size, seed=seed[, stratify_by_column="labels"])["test"]`, rows in the
 * order `datasets` returns them. Stratified (via mteb's `stratified_subsampling`) is skipped when the split
 * has no more than `size` rows, as mteb skips it; the plain split raises there, as `datasets` does, except
 * under --limit where a truncated split is expected.
 */
export function subsampleClusteringSplit(
  data: ClusteringFastSplit,
  opts: { size: number; stratified: boolean; seed?: number; limited?: boolean },
): SubsampleOutcome {
  const n = data.sentences.length;
  const seed = opts.seed ?? 42;
  if (opts.size >= n) {
    if (opts.stratified || opts.limited)
      return { data, skipped: `split has ${n} documents, not more than test_subsample.size ${opts.size}: no subsampling` };
    throw new MtebError(
      'E_BAD_VALUE',
      `test_subsample.size=${opts.size} should be smaller than the number of documents ${n} (datasets.train_test_split)`,
      { field: 'test_subsample.size' },
    );
  }
  if (!opts.stratified) return { data: pick(data, defaultRng(seed).permutation(n).slice(0, opts.size)) };
  const flat = data.labels.map((l, i) => {
    if (l.length !== 1)
      throw new MtebError('E_BAD_VALUE', `stratified test_subsample needs one label per document; document ${i} has ${l.length} levels`, {
        field: 'test_subsample.stratified',
      });
    return l[0];
  });
  return { data: pick(data, stratifiedSubsample(flat, opts.size, seed).test) };
}

/** Applies the spec's v2 transforms (after loading) in mteb's order; `warn` gets skipped steps. */
export function applyClusteringTransforms(
  data: ClusteringFastSplit,
  spec: Partial<Pick<ClusteringSpec, 'drop_singleton_labels' | 'test_subsample'>>,
  opts: { limited?: boolean; warn?: (m: string) => void } = {},
): ClusteringFastSplit {
  let out = data;
  if (spec.drop_singleton_labels) out = dropSingletonLabels(out);
  if (spec.test_subsample) {
    const r = subsampleClusteringSplit(out, { ...spec.test_subsample, limited: opts.limited });
    if (r.skipped) opts.warn?.(r.skipped);
    out = r.data;
  }
  return out;
}
