import type { Embedder, Role } from '../core/embedder.js';
import type { TaskSpec } from './spec.js';
import type { Matrix } from '../core/matrix.js';
import type { ProgressSink } from '../util/progress.js';
import type { Ranking } from '../output/predictions.js';

/** Everything an adapter needs to evaluate one (split, hf_subset) of a task. */
export interface EvalContext<S = TaskSpec> {
  spec: S;
  split: string;
  subset: string;
  /** Resolved dataset (see src/data/). Typed loosely here so adapters stay independent of the source kind. */
  source: unknown;
  embedder: Embedder;
  /**
   * Embeds texts with the task's instruction for that role, deduplicated and batched, in input order. Progress goes
   * to `progress` when given (a piece of a larger step: src/util/progress.ts sharedStep), else to the run's sink.
   */
  embed(texts: string[], role: Role, label?: string, progress?: ProgressSink): Promise<Matrix>;
  limit?: number;
  progress: ProgressSink;
  warn(message: string): void;
  /** Options for the retrieval search backend (exact/hnsw and their parameters). */
  search?: Record<string, unknown>;
  /**
   * Which scikit-learn behaviour iterative ports follow: 'modern' (sklearn >= 1.4 logistic regression,
   * >= 1.3 k-means++: what mteb runs since mid-2024 used) or '1.2' (Debian's sklearn 1.2.1, our golden files).
   */
  sklearn?: SklearnFlavour;
  /**
   * Set under `run --shard i/n`: big retrieval corpora are split by chunk across shards, which embed their chunks
   * into the shared cache and search them (no score), leaving a top-k list and a marker per chunk in `markerDir`.
   */
  shard?: ShardContext;
  /**
   * Set under `merge`: this (split, subset)'s marker folder, where the shards that split its corpus left their
   * per-chunk top-k lists (src/shard/chunk-lists/); retrieval merges those instead of searching.
   */
  chunkLists?: { dir: string };
  /** `--save-predictions`: return the ranking that was scored (SubsetResult.ranking), for the predictions files. */
  savePredictions?: boolean;
}

export interface ShardContext {
  index: number;
  count: number;
  /** Corpus rows per shard unit; corpora with more rows than this are split. */
  chunkRows: number;
  /** Folder for this (task, split, subset)'s chunk markers. */
  markerDir: string;
  /** Whether this shard owns the task (evaluates it unless its corpus is split). */
  owner: boolean;
  /** The shard that embeds and searches each chunk of a corpus cut into `of` chunks (the cost-balanced assignment, src/shard/select-tasks.ts chunkShards); absent: chunk c mod count. */
  chunkShards?: (of: number) => number[];
}

export type SklearnFlavour = 'modern' | '1.2';

/** Per-item scores for paired statistics: metric -> item id -> value (see docs/per-item-scores.md). */
export type ItemScores = Record<string, Record<string, number>>;

export interface SubsetResult {
  /** Every metric key mteb writes for this task type and protocol (before the 6-decimal save rounding). */
  scores: Record<string, unknown>;
  items?: ItemScores;
  /** Extra facts about how the score was computed (e.g. HNSW recall against exact search). */
  metadata?: Record<string, unknown>;
  /** Set when this shard only did its part (embedded and searched its corpus chunks); `merge` produces the score. */
  deferred?: string;
  /** Under `savePredictions`, from adapters with `producesRankings`: the run the metrics scored. */
  ranking?: Ranking;
}

/**
 * One per task type (src/task-types/<type>/adapter.ts): it knows how to load its data, which texts to embed with
 * which role, and which metric module scores them. The runner only ever calls `evaluate` through the task-type
 * table (src/task-types/index.ts); it never looks at the task type itself.
 */
export interface TaskAdapter<S = TaskSpec> {
  evaluate(ctx: EvalContext<S>): Promise<SubsetResult>;
}
