/**
 * A task is data: the registry (tasks/*.json) and a user's own task file share this shape, with field names
 * as mteb names them, so `mteb-ts tasks --json` output can be saved and edited into a task file.
 */
export const TASK_TYPES = [
  'Retrieval',
  'Reranking',
  'Classification',
  'Clustering',
  'PairClassification',
  'STS',
  'Summarization',
  'BitextMining',
] as const;
export type TaskType = (typeof TASK_TYPES)[number];

/** Which mteb release line's protocol a task's scores follow (see docs/protocol.md). */
export type Protocol = 'mteb-1' | 'mteb-2';

export interface InstructionSpec {
  /** Instruction for the query side (or for every text of a symmetric task). null = known to have none. */
  query?: string | null;
  /** Instruction for passages; NV-Embed uses none ('' in its instructions.json). */
  passage?: string | null;
  /** Where the text comes from: 'nvembed-instructions.json', 'mteb-prompt', 'user', ... */
  source: string;
}

export interface TestSubsampleSpec {
  size: number;
  stratified: boolean;
  seed?: number;
}

export interface TaskSpec {
  name: string;
  type: TaskType;
  description?: string;
  /** `path` is a hub id (`mteb/arguana`) or a local folder (relative to the task file that names it). */
  dataset: { path: string; revision?: string };
  eval_splits: string[];
  /** Subsets (HF configs) to evaluate; default ['default']. For multilingual datasets only the English one. */
  hf_subsets?: string[];
  eval_langs?: string[] | Record<string, string[]>;
  main_score: string;
  protocol?: Protocol;
  category?: string;
  /** NV-Embed's instruction for this task; null when no source gives one (never invented). */
  instruction?: InstructionSpec | null;

  // Retrieval / Reranking
  ignore_identical_ids?: boolean;
  /** Reranking v2: score = max over sub-queries `<qid>_<i>` (MindSmall). */
  max_over_subqueries?: boolean;
  /** Retrieval: both queries and passages get the instruction (QuoraRetrieval for NV-Embed). */
  symmetric?: boolean;

  // Classification
  samples_per_label?: number;
  n_experiments?: number;
  train_split?: string;
  /** Stratified test subset size drawn as mteb draws it (ToxicConversations: 2048). */
  test_subsample_size?: number;

  // Clustering
  clustering_variant?: 'legacy' | 'fast';
  max_fraction_of_documents_to_embed?: number | null;
  max_documents_per_cluster?: number;
  n_bootstrap_rounds?: number;
  /**
   * Fast clustering (mteb `dataset_transform`s of the v2 tasks, applied in this order after flattening rows
   * to one document each): split string labels on this into hierarchy levels (ArXivHierarchical: ".").
   */
  label_separator?: string;
  /** Drop documents whose label occurs once in the split (StackExchangeClusteringP2P.v2). */
  drop_singleton_labels?: boolean;
  /**
   * Keep a `size`-document subset of the split, drawn as Hugging Face `train_test_split(test_size=size,
   * seed, stratify_by_column=labels if stratified)["test"]` (ArXivHierarchical: 2048 plain; StackExchange.v2:
   * 2048 stratified, skipped when the split is not larger). seed default 42.
   */
  test_subsample?: TestSubsampleSpec;

  // STS
  min_score?: number;
  max_score?: number;

  // Summarization: 'legacy' = SummEval's (mean rho + mean p)/2 value mteb still reports; 'fixed' = .v2
  summarization_variant?: 'legacy' | 'fixed';

  /** Aggregate tasks (CQADupstackRetrieval): the tasks whose scores it averages. */
  aggregate_of?: string[];

  /** Set by the loader: folder a task file was read from (local dataset paths resolve against it). */
  source_dir?: string;
}

export function hfSubsets(spec: TaskSpec): string[] {
  return spec.hf_subsets && spec.hf_subsets.length ? spec.hf_subsets : ['default'];
}
