import { bool, fraction, isObj, nullOr, oneOf, posInt, str } from '../schema/checks.js';
import { field, typeSchema, type Check } from '../schema/kit.js';

export interface TestSubsampleSpec {
  size: number;
  stratified: boolean;
  seed?: number;
}

const subsampleSpec: Check = (v) => {
  const want = 'an object {size: positive integer, stratified: true|false, seed?: integer >= 0}';
  if (!isObj(v)) return want;
  const extra = Object.keys(v).filter((k) => !['size', 'stratified', 'seed'].includes(k));
  if (extra.length) return `${want} (unknown key ${JSON.stringify(extra[0])})`;
  if (!Number.isInteger(v.size) || (v.size as number) <= 0) return `${want} (bad size)`;
  if (typeof v.stratified !== 'boolean') return `${want} (bad stratified)`;
  if (v.seed !== undefined && !(Number.isInteger(v.seed) && (v.seed as number) >= 0)) return `${want} (bad seed)`;
  return null;
};

/**
 * Legacy (MTEB(eng, v1)) or fast (.v2, hierarchical) clustering. Defaults are mteb's AbsTaskClusteringFast ones:
 * 4 % of documents embedded (null = all), 16384 documents per cluster set, 10 bootstrap rounds.
 */
export const CLUSTERING_SCHEMA = typeSchema(
  'Clustering',
  {
    clustering_variant: field<'legacy' | 'fast'>(oneOf('legacy', 'fast')),
    max_fraction_of_documents_to_embed: field<number | null>(nullOr(fraction)),
    max_documents_per_cluster: field<number>(posInt),
    n_bootstrap_rounds: field<number>(posInt),
    /**
     * Fast clustering (mteb `dataset_transform`s of the v2 tasks, applied in this order after flattening rows
     * to one document each): split string labels on this into hierarchy levels (ArXivHierarchical: ".").
     */
    label_separator: field<string>(str),
    /** Drop documents whose label occurs once in the split (StackExchangeClusteringP2P.v2). */
    drop_singleton_labels: field<boolean>(bool),
    /**
     * Keep a `size`-document subset of the split, drawn as Hugging Face `train_test_split(test_size=size,
     * seed, stratify_by_column=labels if stratified)["test"]` (ArXivHierarchical: 2048 plain; StackExchange.v2:
     * 2048 stratified, skipped when the split is not larger). seed default 42.
     */
    test_subsample: field<TestSubsampleSpec>(subsampleSpec),
  },
  {
    defaults: {
      clustering_variant: 'legacy',
      max_fraction_of_documents_to_embed: 0.04,
      max_documents_per_cluster: 16384,
      n_bootstrap_rounds: 10,
      drop_singleton_labels: false,
    },
  },
);
