import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { EvalContext, SubsetResult, ShardContext } from './adapter.js';
import type { RetrievalSplit } from '../core/datasets.js';
import { writeFileAtomic } from '../util/atomic-write.js';

const EMBED_PIECE_ROWS = 50_000;

export function chunkMarker(markerDir: string, chunk: number, nChunks: number): string {
  return path.join(markerDir, `chunk-${chunk}-of-${nChunks}.done`);
}

export function shardsSplitCorpus(shard: ShardContext | undefined, corpusSize: number): shard is ShardContext {
  return !!shard && shard.count > 1 && corpusSize > shard.chunkRows;
}

/**
 * This shard's part of a big corpus: embed chunks c ≡ index (mod count) into the shared cache, leaving one
 * marker per finished chunk (so a restarted shard redoes only unfinished chunks' misses, and `merge` can tell
 * which parts exist). The score is computed by `merge`, when every chunk is cached.
 */
export async function embedCorpusShare(ctx: EvalContext, data: RetrievalSplit, role: 'query' | 'passage', texts: (id: string) => string): Promise<SubsetResult> {
  const shard = ctx.shard!;
  const ids = [...data.corpus.keys()];
  const nChunks = Math.ceil(ids.length / shard.chunkRows);
  let mine = 0;
  for (let c = shard.index; c < nChunks; c += shard.count) {
    const marker = chunkMarker(shard.markerDir, c, nChunks);
    mine++;
    if (existsSync(marker)) continue;
    const part = ids.slice(c * shard.chunkRows, (c + 1) * shard.chunkRows);
    // In pieces, so one call's vectors stay small (500k x 4096 floats would be 8 GB); the cache keeps them all.
    for (let s = 0; s < part.length; s += EMBED_PIECE_ROWS) {
      await ctx.embed(part.slice(s, s + EMBED_PIECE_ROWS).map(texts), role, `corpus chunk ${c + 1}/${nChunks} rows ${s}+`);
    }
    await writeFileAtomic(marker, JSON.stringify({ chunk: c, of: nChunks, rows: part.length, shard: `${shard.index}/${shard.count}` }) + '\n');
  }
  return { scores: {}, deferred: `embedded ${mine} of ${nChunks} corpus chunks` };
}

/** Chunks of a split corpus not yet marked done, or null when the task was not split at all. */
export function missingChunks(markerDir: string): { missing: number[]; total: number } | null {
  if (!existsSync(markerDir)) return null;
  const names = readdirSync(markerDir).filter((n) => /^chunk-\d+-of-\d+\.done$/.test(n));
  if (!names.length) return null;
  const total = Number(/of-(\d+)/.exec(names[0])![1]);
  const done = new Set(names.map((n) => Number(/^chunk-(\d+)/.exec(n)![1])));
  const missing: number[] = [];
  for (let c = 0; c < total; c++) if (!done.has(c)) missing.push(c);
  return { missing, total };
}
