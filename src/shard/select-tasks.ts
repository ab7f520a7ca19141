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
 * estimates it used, so `merge` refuses parts dealt by another rule or from other estimates. v1 dealt corpus
 * chunks c mod n before the tasks; v2 deals chunks and tasks alike, by cost.
 */
export const ASSIGNMENT_METHOD = 'lpt-tokens-v2';

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
  /** Corpus chunks of split retrieval corpora this shard embeds and searches (dealt by cost, as the tasks). */
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

/** One unit of work to deal: a whole task (chunk -1) or one chunk of a split corpus. */
interface Item {
  task: string;
  chunk: number;
  of: number;
  tokens: number;
}

/**
 * Deterministic cost-balanced split, longest processing time first (LPT): every unit of work — each chunk of a
 * split corpus, and each whole task — largest estimate first (ties: task name, then the whole task before its
 * chunks, then chunk index), goes to the shard with the least estimated work so far (ties: lowest index).
 * Integer estimates that depend only on the task list and the chunking, so every shard and `merge` compute the
 * same assignment without talking. A split corpus's task is owned by one shard too, costed at its queries' share
 * (what is not in chunks). Dealing chunks by cost instead of c mod n keeps one shard from getting one chunk more
 * of every split corpus (MTEB(eng, v1), 8 shards: max/mean 1.18 with c mod n; docs/scaling.md).
 */
export function assignShards(tasks: TaskSpec[], count: number, chunkRows: number = DEFAULT_CHUNK_ROWS): ShardAssignment {
  const sorted = [...tasks].sort((a, b) => byName(a.name, b.name));
  const costs = sorted.map(estimateTaskCost);
  const shards: ShardWork[] = Array.from({ length: count }, (_, index) => ({ index, tasks: [], chunks: [], tokens: 0 }));
  const items: Item[] = [];
  sorted.forEach((spec, i) => {
    const c = costs[i];
    const docs = c.documents;
    if (count > 1 && docs !== undefined && docs > chunkRows && taskType(spec.type).splitsAcrossShards) {
      const of = Math.ceil(docs / chunkRows);
      // The corpus's tokens, spread over chunks by rows; the rest (queries) stays with the owner.
      const corpusTokens = c.corpusTokens ?? c.tokens;
      for (let k = 0; k < of; k++) {
        const rows = Math.min(docs, (k + 1) * chunkRows) - k * chunkRows;
        items.push({ task: spec.name, chunk: k, of, tokens: Math.floor((corpusTokens * rows) / docs) });
      }
      items.push({ task: spec.name, chunk: -1, of: 0, tokens: c.tokens - corpusTokens });
    } else items.push({ task: spec.name, chunk: -1, of: 0, tokens: c.tokens });
  });
  items.sort((a, b) => b.tokens - a.tokens || byName(a.task, b.task) || a.chunk - b.chunk);
  for (const it of items) {
    let best = shards[0];
    for (const s of shards) if (s.tokens < best.tokens) best = s;
    if (it.chunk < 0) best.tasks.push(it.task);
    else best.chunks.push({ task: it.task, chunk: it.chunk, of: it.of, tokens: it.tokens });
    best.tokens += it.tokens;
  }
  for (const s of shards) {
    s.tasks.sort(byName);
    s.chunks.sort((a, b) => byName(a.task, b.task) || a.chunk - b.chunk);
  }
  return { method: ASSIGNMENT_METHOD, count, chunkRows, costs, shards };
}

/**
 * Which shard embeds and searches each chunk of `task`'s corpus when it is cut into `of` chunks: the
 * assignment's, or chunk c mod n when the assignment cut that corpus otherwise (its estimate's document count is
 * not the corpus's real one, e.g. a dataset revision with other rows). Every shard and `merge` read the same data,
 * so they agree either way; the fallback only loses the balance.
 */
export function chunkShards(a: ShardAssignment, task: string, of: number): number[] {
  const owners = Array.from({ length: of }, (_, c) => c % a.count);
  const dealt = a.shards.flatMap((s) => s.chunks.filter((c) => c.task === task).map((c) => ({ shard: s.index, ...c })));
  if (dealt.length === of && dealt.every((c) => c.of === of)) for (const c of dealt) owners[c.chunk] = c.shard;
  return owners;
}

/** The tasks shard `index` of `count` owns under assignShards (what `run --shard i/n` evaluates). */
export function selectShardTasks(tasks: TaskSpec[], shard: Shard & { chunkRows?: number }): TaskSpec[] {
  const mine = new Set(assignShards(tasks, shard.count, shard.chunkRows).shards[shard.index].tasks);
  return tasks.filter((t) => mine.has(t.name)).sort((a, b) => byName(a.name, b.name));
}
