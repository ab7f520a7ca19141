import { MtebError } from '../core/errors.js';
import type { TaskSpec } from '../task-types/spec.js';
import { taskType } from '../task-types/index.js';
import { estimateTaskCost, type TaskCost } from './cost.js';
import { tryParseShard } from './shard-of.js';

export interface Shard {
  index: number;
  count: number;
}

/** Rows per corpus chunk of a split corpus without `--shard-chunk-rows`: the runner's DEFAULT_SHARD_CHUNK_ROWS (a test keeps them equal; importing the runner here would be circular). */
export const DEFAULT_CHUNK_ROWS = 500_000;

/** `i/n` with 0 <= i < n (Kubernetes indexed Jobs and `sbatch --array=0-(n-1)` count from 0; or `--shard auto`). */
export function parseShard(s: string): Shard {
  if (!/^\d+\/\d+$/.test(s.trim())) throw new MtebError('E_USAGE', `--shard expects i/n (e.g. 0/4), got "${s}"`);
  const shard = tryParseShard(s);
  if (!shard) throw new MtebError('E_USAGE', `--shard ${s}: need 0 <= i < n`);
  return shard;
}

/**
 * The name of the assignment rule below. Recorded in every shard's layout (src/shard/layout.ts) with the token
 * estimates it used, so `merge` refuses parts dealt by another rule or from other estimates.
 */
export const ASSIGNMENT_METHOD = 'lpt-tokens-v1';

export interface ChunkWork {
  task: string;
  chunk: number;
  of: number;
  tokens: number;
}

export interface ShardWork {
  index: number;
  /** Tasks this shard owns (evaluates, or for a split corpus: scores nothing but owns), by name. */
  tasks: string[];
  /** Corpus chunks of split retrieval corpora this shard embeds (chunk c goes to shard c mod n). */
  chunks: ChunkWork[];
  /** Estimated tokens of all of it. */
  tokens: number;
}

export interface ShardAssignment {
  method: typeof ASSIGNMENT_METHOD;
  count: number;
  chunkRows: number;
  costs: TaskCost[];
  shards: ShardWork[];
}

const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Deterministic cost-balanced split (longest processing time first): the chunks of split corpora are dealt
 * c mod n (as the retrieval adapter embeds them), then whole tasks, largest estimate first (ties by name), each
 * to the shard with the least estimated work so far (ties: lowest index). Integer estimates that depend only on
 * the task list and the chunking, so every shard and `merge` compute the same assignment without talking.
 * A split corpus's task is owned by one shard too, costed at its queries' share (what is not in chunks).
 */
export function assignShards(tasks: TaskSpec[], count: number, chunkRows: number = DEFAULT_CHUNK_ROWS): ShardAssignment {
  const sorted = [...tasks].sort((a, b) => byName(a.name, b.name));
  const costs = sorted.map(estimateTaskCost);
  const shards: ShardWork[] = Array.from({ length: count }, (_, index) => ({ index, tasks: [], chunks: [], tokens: 0 }));
  const owned: { task: string; tokens: number }[] = [];
  sorted.forEach((spec, i) => {
    const c = costs[i];
    const docs = c.documents;
    if (count > 1 && docs !== undefined && docs > chunkRows && taskType(spec.type).splitsAcrossShards) {
      const of = Math.ceil(docs / chunkRows);
      // The corpus's tokens, spread over chunks by rows; the rest (queries) stays with the owner.
      const corpusTokens = c.corpusTokens ?? c.tokens;
      for (let k = 0; k < of; k++) {
        const rows = Math.min(docs, (k + 1) * chunkRows) - k * chunkRows;
        const tokens = Math.floor((corpusTokens * rows) / docs);
        const s = shards[k % count];
        s.chunks.push({ task: spec.name, chunk: k, of, tokens });
        s.tokens += tokens;
      }
      owned.push({ task: spec.name, tokens: c.tokens - corpusTokens });
    } else owned.push({ task: spec.name, tokens: c.tokens });
  });
  owned.sort((a, b) => b.tokens - a.tokens || byName(a.task, b.task));
  for (const t of owned) {
    let best = shards[0];
    for (const s of shards) if (s.tokens < best.tokens) best = s;
    best.tasks.push(t.task);
    best.tokens += t.tokens;
  }
  for (const s of shards) s.tasks.sort(byName);
  return { method: ASSIGNMENT_METHOD, count, chunkRows, costs, shards };
}

/** The tasks shard `index` of `count` owns under assignShards (what `run --shard i/n` evaluates). */
export function selectShardTasks(tasks: TaskSpec[], shard: Shard & { chunkRows?: number }): TaskSpec[] {
  const mine = new Set(assignShards(tasks, shard.count, shard.chunkRows).shards[shard.index].tasks);
  return tasks.filter((t) => mine.has(t.name)).sort((a, b) => byName(a.name, b.name));
}
