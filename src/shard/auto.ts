import { MtebError } from '../core/errors.js';
import { parseShard, type Shard } from './select-tasks.js';

/**
 * `--shard auto`: this process's shard index from the scheduler that started it, so one job script serves every
 * element of an array job (docs/scaling.md). Index variables, first found wins:
 *   SLURM_ARRAY_TASK_ID (minus SLURM_ARRAY_TASK_MIN, so `--array=1-8` and `--array=0-7` both give 0..7),
 *   JOB_COMPLETION_INDEX (Kubernetes Indexed Job), AWS_BATCH_JOB_ARRAY_INDEX, BATCH_TASK_INDEX (Google Batch).
 * The count: `--shards N`, else MTEB_TS_SHARDS, else the scheduler's own size where it reports one reliably
 * (SLURM_ARRAY_TASK_COUNT, BATCH_TASK_COUNT). Kubernetes and AWS Batch do not tell a pod its array size.
 */
export const SHARD_INDEX_VARS = ['SLURM_ARRAY_TASK_ID', 'JOB_COMPLETION_INDEX', 'AWS_BATCH_JOB_ARRAY_INDEX', 'BATCH_TASK_INDEX'] as const;

function nonNegativeInt(name: string, v: string): number {
  if (!/^\d+$/.test(v.trim())) throw new MtebError('E_USAGE', `--shard auto: ${name}="${v}" is not a shard index (a non-negative integer)`, { field: 'shard' });
  return Number(v);
}

/** `--shard` as given (`i/n` or `auto`) and `--shards` (auto's count) to the shard, or undefined for no sharding. */
export function resolveShard(spec: string | undefined, shards: number | undefined, env: NodeJS.ProcessEnv = process.env): (Shard & { source: string }) | undefined {
  if (spec === undefined) {
    if (shards !== undefined) throw new MtebError('E_USAGE', '--shards is the count for `--shard auto`; give --shard too', { field: 'shards' });
    return undefined;
  }
  if (spec.trim() !== 'auto') {
    if (shards !== undefined) throw new MtebError('E_USAGE', `--shard ${spec} already says the count; --shards goes with --shard auto`, { field: 'shards' });
    return { ...parseShard(spec), source: '--shard' };
  }
  const found = SHARD_INDEX_VARS.find((v) => env[v] !== undefined && env[v] !== '');
  if (!found) {
    throw new MtebError('E_USAGE', `--shard auto: no scheduler index in the environment (looked for ${SHARD_INDEX_VARS.join(', ')}); give --shard i/n`, { field: 'shard' });
  }
  let index = nonNegativeInt(found, env[found]!);
  if (found === 'SLURM_ARRAY_TASK_ID' && env.SLURM_ARRAY_TASK_MIN) index -= nonNegativeInt('SLURM_ARRAY_TASK_MIN', env.SLURM_ARRAY_TASK_MIN);
  let count = shards;
  let countFrom = '--shards';
  if (count === undefined && env.MTEB_TS_SHARDS) {
    count = nonNegativeInt('MTEB_TS_SHARDS', env.MTEB_TS_SHARDS);
    countFrom = 'MTEB_TS_SHARDS';
  }
  const own = found === 'SLURM_ARRAY_TASK_ID' ? 'SLURM_ARRAY_TASK_COUNT' : found === 'BATCH_TASK_INDEX' ? 'BATCH_TASK_COUNT' : undefined;
  if (count === undefined && own && env[own]) {
    count = nonNegativeInt(own, env[own]!);
    countFrom = own;
  }
  if (count === undefined) throw new MtebError('E_USAGE', `--shard auto: ${found}=${env[found]} gives the index; give the count with --shards N or MTEB_TS_SHARDS`, { field: 'shards' });
  if (!(count >= 1) || index >= count) {
    throw new MtebError('E_USAGE', `--shard auto: index ${index} (from ${found}) is not below the count ${count} (from ${countFrom})`, { field: 'shard' });
  }
  return { index, count, source: `${found}=${env[found]}, count from ${countFrom}` };
}
