/**
 * TaskSpec: a discriminated union on `type`, inferred from the common schema plus one schema per task type
 * (src/task-types/<type>/schema.ts), the same objects that validate task files (./validate.ts). A TaskSpec has its
 * defaults filled (validateTaskSpec does it once, when the registry or a task file is loaded), so code reads
 * `spec.protocol`, `spec.samples_per_label`, ... directly.
 */
import { COMMON_SCHEMA } from './schema/common.js';
import type { FileSpecOf, SpecOf } from './schema/kit.js';
import { RETRIEVAL_SCHEMA } from './retrieval/schema.js';
import { RERANKING_SCHEMA } from './reranking/schema.js';
import { CLASSIFICATION_SCHEMA } from './classification/schema.js';
import { CLUSTERING_SCHEMA } from './clustering/schema.js';
import { PAIR_CLASSIFICATION_SCHEMA } from './pair-classification/schema.js';
import { STS_SCHEMA } from './sts/schema.js';
import { SUMMARIZATION_SCHEMA } from './summarization/schema.js';
import { BITEXT_MINING_SCHEMA } from './bitext-mining/schema.js';

export type { Protocol, InstructionSpec, DatasetRef } from './schema/common.js';
export type { TestSubsampleSpec } from './clustering/schema.js';

/** The schema of each task type, in the order types are listed (tasks/<type>/ folders, `--type` help). */
export const TYPE_SCHEMAS = {
  Retrieval: RETRIEVAL_SCHEMA,
  Reranking: RERANKING_SCHEMA,
  Classification: CLASSIFICATION_SCHEMA,
  Clustering: CLUSTERING_SCHEMA,
  PairClassification: PAIR_CLASSIFICATION_SCHEMA,
  STS: STS_SCHEMA,
  Summarization: SUMMARIZATION_SCHEMA,
  BitextMining: BITEXT_MINING_SCHEMA,
} as const;
export { COMMON_SCHEMA };

export type TaskType = keyof typeof TYPE_SCHEMAS;
export const TASK_TYPES = Object.keys(TYPE_SCHEMAS) as TaskType[];

type Common = Omit<SpecOf<typeof COMMON_SCHEMA>, 'type'>;
type CommonFile = Omit<FileSpecOf<typeof COMMON_SCHEMA>, 'type'>;
type Loaded = {
  /** Set by the loader: folder a task file was read from (local dataset paths resolve against it). */
  source_dir?: string;
};

type OwnKeys<T extends TaskType> = keyof (typeof TYPE_SCHEMAS)[T]['fields'];
/** Other types' fields, absent: reading `spec.train_split` on an unnarrowed spec is `undefined` for non-Classification. */
type Absent<T extends TaskType> = { [K in Exclude<{ [U in TaskType]: OwnKeys<U> }[TaskType], OwnKeys<T>>]?: undefined };

/** The spec of one task type, defaults filled. */
export type SpecFor<T extends TaskType> = Common & SpecOf<(typeof TYPE_SCHEMAS)[T]> & Loaded & Absent<T>;
/** A task as loaded (registry or task file): a discriminated union on `type`, defaults filled. */
export type TaskSpec = { [T in TaskType]: SpecFor<T> }[TaskType];
/** A task as a task file may write it (defaults not filled). */
export type TaskFileSpec = { [T in TaskType]: CommonFile & FileSpecOf<(typeof TYPE_SCHEMAS)[T]> & Loaded & Absent<T> }[TaskType];

export type RetrievalSpec = SpecFor<'Retrieval'>;
export type RerankingSpec = SpecFor<'Reranking'>;
export type ClassificationSpec = SpecFor<'Classification'>;
export type ClusteringSpec = SpecFor<'Clustering'>;
export type PairClassificationSpec = SpecFor<'PairClassification'>;
export type STSSpec = SpecFor<'STS'>;
export type SummarizationSpec = SpecFor<'Summarization'>;
export type BitextMiningSpec = SpecFor<'BitextMining'>;

export { hfSubsets } from '../core/subsets.js';
