import type { TaskSpec } from '../../task-types/spec.js';
import { estimateModelParams, gpuHours, type ModelSize } from '../cost.js';
import { assignShards, DEFAULT_CHUNK_ROWS, type ShardAssignment } from '../select-tasks.js';

/**
 * A scale-out plan: which shard does what (the same assignment `run --shard i/n` computes, src/shard/select-tasks.ts),
 * its estimated cost, and what the scheduler files run. Pure data; src/shard/plan/slurm.ts and k8s.ts turn it into
 * files, render.ts into the printed table.
 */
export interface PlanInput {
  tasks: TaskSpec[];
  count: number;
  chunkRows?: number;
  /** The model spec as given to run (`-m`): sizes the estimate (src/shard/cost.ts). */
  model: string;
  modelParams?: number;
  /** `run`'s own options as they go into the job scripts (no --shard / --shards: the plan adds them). */
  runArgs: string[];
  /** The same for `merge` (only the options merge takes). */
  mergeArgs: string[];
  /** How a job starts mteb-ts (`mteb-ts`, `npx mteb-ts`, `node /opt/mteb-ts/bin/mteb-ts.js`). */
  launcher: string;
  /** Job name prefix. */
  name: string;
}

export interface ScalePlan extends PlanInput {
  assignment: ShardAssignment;
  modelSize: ModelSize;
  /** Estimated tokens: the largest shard, the mean, all shards. */
  maxTokens: number;
  meanTokens: number;
  totalTokens: number;
  /** max / mean: 1.00 is a perfect balance; the run's wall time is set by the largest shard. */
  balance: number;
}

export function buildPlan(input: PlanInput): ScalePlan {
  const plain = input.tasks.filter((t) => !t.aggregate_of);
  const assignment = assignShards(plain, input.count, input.chunkRows ?? DEFAULT_CHUNK_ROWS);
  const per = assignment.shards.map((s) => s.tokens);
  const totalTokens = per.reduce((a, b) => a + b, 0);
  const maxTokens = Math.max(...per);
  const meanTokens = totalTokens / input.count;
  return {
    ...input,
    assignment,
    modelSize: estimateModelParams(input.model, input.modelParams),
    maxTokens,
    meanTokens,
    totalTokens,
    balance: meanTokens > 0 ? maxTokens / meanTokens : 1,
  };
}

/** GPU-hours of a token count under the plan's model size. */
export const planHours = (plan: ScalePlan, tokens: number): number => gpuHours(tokens, plan.modelSize.params);
