import { MtebError } from '../core/errors.js';
import type { TaskSpec } from '../task-types/spec.js';
import { tryParseShard } from './shard-of.js';

export interface Shard {
  index: number;
  count: number;
}

/** `i/n` with 0 <= i < n (Kubernetes indexed Jobs count from 0; for Slurm use $((SLURM_ARRAY_TASK_ID-1))). */
export function parseShard(s: string): Shard {
  if (!/^\d+\/\d+$/.test(s.trim())) throw new MtebError('E_USAGE', `--shard expects i/n (e.g. 0/4), got "${s}"`);
  const shard = tryParseShard(s);
  if (!shard) throw new MtebError('E_USAGE', `--shard ${s}: need 0 <= i < n`);
  return shard;
}

/**
 * Deterministic task split: tasks sorted by name, dealt round-robin, so every shard agrees on the split
 * without talking to the others and `merge` can list exactly which parts are missing.
 */
export function selectShardTasks(tasks: TaskSpec[], shard: Shard): TaskSpec[] {
  const sorted = [...tasks].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return sorted.filter((_, i) => i % shard.count === shard.index);
}
