import { createHash } from 'node:crypto';

/**
 * Deterministic shard of a work item (a task name, a "task/split/subset" key, a corpus chunk id): the first 8
 * bytes of sha256(key) mod n. Stable across machines, Node versions and orderings, so `--shard i/n` processes
 * never coordinate and together cover every key exactly once.
 */
export function shardOf(key: string, n: number): number {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`shard count must be a positive integer, got ${n}`);
  const h = createHash('sha256').update(key, 'utf8').digest();
  return Number(h.readBigUInt64BE(0) % BigInt(n));
}

/** Parses `i/n` (0-based i) as given to `--shard`; null when malformed or out of range (select-tasks.ts parseShard throws the usage error). */
export function tryParseShard(s: string): { index: number; count: number } | null {
  const m = /^(\d+)\/(\d+)$/.exec(s.trim());
  if (!m) return null;
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1 || index >= count) return null;
  return { index, count };
}
