import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { EvalContext, SubsetResult, ShardContext } from '../adapter.js';
import type { CorpusDoc, RetrievalSplit } from '../../core/datasets.js';
import { sweepOrphanTemps, writeFileAtomic } from '../../util/atomic-write.js';

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
export async function embedCorpusShare(
  ctx: EvalContext,
  data: RetrievalSplit,
  role: 'query' | 'passage',
  text: (doc: CorpusDoc) => string,
): Promise<SubsetResult> {
  const shard = ctx.shard!;
  // A marker's temp file left by a killed shard on this machine (host-aware: another machine's may be alive).
  sweepOrphanTemps(shard.markerDir);
  const n = data.corpus.size;
  const nChunks = Math.ceil(n / shard.chunkRows);
  let mine = 0;
  const todo: [number, number][] = [];
  for (let c = shard.index; c < nChunks; c += shard.count) {
    mine++;
    if (!existsSync(chunkMarker(shard.markerDir, c, nChunks))) todo.push([c * shard.chunkRows, Math.min(n, (c + 1) * shard.chunkRows)]);
  }
  // In pieces, so one call's vectors stay small (500k x 4096 floats would be 8 GB); the cache keeps them all. The
  // pieces of this shard's chunks come in corpus order, read in one pass where the corpus text is not held.
  for await (const piece of data.corpus.chunks(EMBED_PIECE_ROWS, todo)) {
    const c = Math.floor(piece.start / shard.chunkRows);
    const s = piece.start - c * shard.chunkRows;
    await ctx.embed(piece.docs.map(text), role, `corpus chunk ${c + 1}/${nChunks} rows ${s}+`);
    const end = Math.min(n, (c + 1) * shard.chunkRows);
    if (piece.start + piece.ids.length === end) {
      await writeFileAtomic(
        chunkMarker(shard.markerDir, c, nChunks),
        JSON.stringify({ chunk: c, of: nChunks, rows: end - c * shard.chunkRows, shard: `${shard.index}/${shard.count}` }) + '\n',
      );
    }
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
