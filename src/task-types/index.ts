/**
 * The task-type table: the one place shared code (runner, sharding, identity, download, leaderboard, registry)
 * looks a task type up, by `spec.type`. Each entry lives in src/task-types/<type>/ with its schema (defaults),
 * loader, adapter and the pointer to its metrics (src/metrics/<type>/). Adding a type: see docs/ARCHITECTURE.md,
 * "Recipes".
 */
import { MtebError } from '../core/errors.js';
import type { TaskAdapter } from './adapter.js';
import type { TaskTypeEntry } from './entry.js';
import { TASK_TYPES, type TaskSpec, type TaskType } from './spec.js';
import { retrievalType } from './retrieval/index.js';
import { rerankingType } from './reranking/index.js';
import { classificationType } from './classification/index.js';
import { clusteringType } from './clustering/index.js';
import { pairClassificationType } from './pair-classification/index.js';
import { stsType } from './sts/index.js';
import { summarizationType } from './summarization/index.js';
import { bitextMiningType } from './bitext-mining/index.js';

/** Keyed by type: a type in TASK_TYPES without an entry here is a compile error. */
export const TASK_TYPE_TABLE: { readonly [T in TaskType]: TaskTypeEntry<T> } = {
  Retrieval: retrievalType,
  Reranking: rerankingType,
  Classification: classificationType,
  Clustering: clusteringType,
  PairClassification: pairClassificationType,
  STS: stsType,
  Summarization: summarizationType,
  BitextMining: bitextMiningType,
};

/** The entry of a task type (or of a spec's type). Unknown types throw E_TASK_SCHEMA naming the known ones. */
export function taskType<T extends TaskType>(type: T): TaskTypeEntry<T>;
export function taskType(type: string): TaskTypeEntry;
export function taskType(type: string): TaskTypeEntry {
  // Own keys only: `constructor` or `__proto__` are no task types.
  const e = Object.hasOwn(TASK_TYPE_TABLE, type) ? (TASK_TYPE_TABLE as Record<string, TaskTypeEntry>)[type] : undefined;
  if (!e) throw new MtebError('E_TASK_SCHEMA', `unknown task type "${type}" (one of ${TASK_TYPES.join(', ')})`, { field: 'type' });
  return e;
}

/** The adapter for a spec's type; the table pairs each type with the adapter of that type's spec. */
export function adapterFor(type: TaskType): TaskAdapter<TaskSpec> {
  return taskType(type).adapter as TaskAdapter<TaskSpec>;
}

/** Loads one (split, hf_subset) of a task with its type's loader (the one its adapter uses). */
export function loadTaskSplit(
  source: Parameters<TaskTypeEntry['load']>[0],
  spec: TaskSpec,
  split: string,
  subset = 'default',
  opts: Parameters<TaskTypeEntry['load']>[4] = {},
): Promise<object> {
  return (taskType(spec.type) as TaskTypeEntry<TaskType>).load(source, spec as never, split, subset, opts);
}

export { TASK_TYPES, hfSubsets, type TaskType, type TaskSpec, type TaskFileSpec, type SpecFor } from './spec.js';
export { validateTaskSpec, taskSchemaIssues, withDefaults, type SchemaIssue } from './validate.js';
export type { TaskTypeEntry, LeaderboardMetrics } from './entry.js';
export type { TaskAdapter, EvalContext, SubsetResult, ShardContext, ItemScores, SklearnFlavour } from './adapter.js';
