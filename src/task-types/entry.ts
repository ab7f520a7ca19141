import type { FileGroup, RepoListing } from '../data/select-files.js';
import type { DatasetSource } from '../data/source.js';
import type { LoadOptions } from '../data/split-rows.js';
import type { EvalContext, SubsetResult, TaskAdapter } from './adapter.js';
import type { SpecFor, TaskType, TYPE_SCHEMAS } from './spec.js';

/** How a leaderboard reads a task type's score from a result file (src/leaderboard/rules.ts). */
export interface LeaderboardMetrics {
  /** The original MTEB(eng, v1) table's metric, in order of spelling preference (mteb 1.x renamed some keys). */
  readonly classicMetric: readonly string[];
  /** Read for the classic table, except under --strict, when none of classicMetric is there (mteb >= 2 files). */
  readonly classicMteb2Metric?: readonly string[];
  /** What pre-1.11 files (no main_score) meant by main score. */
  readonly mainScoreFallback: readonly string[];
}

/**
 * Everything about one task type, found from one place (src/task-types/<type>/index.ts) and registered in the one
 * table (./index.ts) that shared code looks up by `spec.type`. Shared code never compares a type name: what
 * differs between types is a field or method here.
 */
export interface TaskTypeEntry<T extends TaskType = TaskType> {
  readonly type: T;
  /** The type's own task-file fields, required fields and defaults (./<type>/schema.ts). */
  readonly schema: (typeof TYPE_SCHEMAS)[T];
  /** Loads, embeds and scores one (split, hf_subset); the adapter module is imported on first use. */
  readonly adapter: TaskAdapter<SpecFor<T>>;
  /** Loads one (split, hf_subset) the way the adapter does (its `load.ts`), e.g. to check a dataset. */
  load(source: DatasetSource, spec: SpecFor<T>, split: string, subset: string, opts?: LoadOptions): Promise<object>;
  /** The dataset files the loader opens, found in a repo listing: what `download` fetches. */
  dataFiles(spec: SpecFor<T>, listing: RepoListing): FileGroup[];
  /** True when one task's embedding work can be split across shards (retrieval corpora, src/shard/). */
  readonly splitsAcrossShards: boolean;
  /** True when the adapter scores a ranking per query and returns it under `savePredictions`. */
  readonly producesRankings: boolean;
  /** What else its scores depend on, recorded in the evaluation identity (src/run/identity.ts). */
  readonly scoresDependOn: { readonly searchBackend: boolean; readonly sklearnFlavour: boolean };
  readonly leaderboard: LeaderboardMetrics;
}

/** An adapter whose module is imported on first use, so listing or reporting never loads the scoring code. */
export function lazyAdapter<S>(load: () => Promise<TaskAdapter<S>>): TaskAdapter<S> {
  let mod: Promise<TaskAdapter<S>> | undefined;
  return {
    async evaluate(ctx: EvalContext<S>): Promise<SubsetResult> {
      return (await (mod ??= load())).evaluate(ctx);
    },
  };
}
