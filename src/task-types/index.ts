import type { TaskType } from '../core/task-spec.js';
import { MtebError } from '../core/errors.js';
import type { TaskAdapter } from './adapter.js';
import { retrievalAdapter } from './retrieval.js';
import { rerankingAdapter } from './reranking.js';
import { classificationAdapter } from './classification.js';
import { clusteringAdapter } from './clustering.js';
import { pairClassificationAdapter } from './pair-classification.js';
import { stsAdapter } from './sts.js';
import { summarizationAdapter } from './summarization.js';
import { bitextMiningAdapter } from './bitext-mining.js';

const ADAPTERS: ReadonlyMap<TaskType, TaskAdapter> = new Map(
  [
    retrievalAdapter,
    rerankingAdapter,
    classificationAdapter,
    clusteringAdapter,
    pairClassificationAdapter,
    stsAdapter,
    summarizationAdapter,
    bitextMiningAdapter,
  ].map((a) => [a.type, a]),
);

export function adapterFor(type: TaskType): TaskAdapter {
  const a = ADAPTERS.get(type);
  if (!a) throw new MtebError('E_TASK_SCHEMA', `no adapter for task type "${type}"`);
  return a;
}
