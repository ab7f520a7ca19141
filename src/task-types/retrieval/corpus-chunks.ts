import type { EvalContext, SubsetResult, ShardContext } from '../adapter.js';
import type { CorpusTexts, RetrievalSplit } from '../../core/datasets.js';
import type { RerankingSpec, RetrievalSpec } from '../spec.js';
import { makeMatrix } from '../../core/matrix.js';
import { MtebError } from '../../core/errors.js';
import { createSearchBackend } from '../../search/index.js';
import type { Similarity } from '../../search/types.js';
import { sweepOrphanTemps, writeFileAtomic } from '../../util/atomic-write.js';
import { chunkDone, chunkListPath, chunkMarker, missingChunks } from '../../shard/chunk-lists/paths.js';
import { corpusIdsDigest, encodeChunkList, sha256Hex } from '../../shard/chunk-lists/format.js';
import { mergeChunkLists, queryIdsDigest, type MergedLists } from '../../shard/chunk-lists/merge-lists.js';
import { embeddedCorpus, TEXT_READ_ROWS } from './embedded-corpus.js';
import { corpusFingerprint } from '../../data/corpus-fingerprint.js';

export function shardsSplitCorpus(shard: ShardContext | undefined, corpusSize: number): shard is ShardContext {
  return !!shard && shard.count > 1 && corpusSize > shard.chunkRows;
}

/**
 * This shard's part of a big corpus: the chunks the assignment deals it (by cost, ShardContext.chunkShards). Each is embedded (into the shared cache) and
 * searched here, and its per-query top-k list is written before its marker (src/shard/chunk-lists/), so a
 * restarted shard redoes only unfinished chunks (their vectors from the cache) and `merge` only merges lists.
 *
 * Queries: every shard that searches a chunk embeds them itself, through the shared cache. No shard waits for
 * another (a scheduler's array has no order and an owner that failed would stall the rest), and the cost is the
 * queries once per shard at most (a shard that starts after another finds them cached): MSMARCO's 6,980 queries
 * against the ~500,000 passages of one chunk. Each list records a digest of the query vectors, and merge refuses
 * lists searched with different ones (a model whose output differs between machines).
 */
export async function searchCorpusShare(
  ctx: EvalContext<RetrievalSpec | RerankingSpec>,
  data: RetrievalSplit,
  q: { ids: string[]; texts: string[] },
  role: 'query' | 'passage',
  similarity: Similarity,
  k: number,
): Promise<SubsetResult> {
  const shard = ctx.shard!;
  // A marker's or list's temp file left by a killed shard on this machine (host-aware: another machine's may be alive).
  sweepOrphanTemps(shard.markerDir);
  const n = data.corpus.size;
  const rows = shard.chunkRows;
  const nChunks = Math.ceil(n / rows);
  let mine = 0;
  const todo: number[] = [];
  const owners = shard.chunkShards?.(nChunks) ?? Array.from({ length: nChunks }, (_, c) => c % shard.count);
  for (let c = 0; c < nChunks; c++) {
    if (owners[c] !== shard.index) continue;
    mine++;
    if (!chunkDone(shard.markerDir, c, nChunks)) todo.push(c);
  }
  const deferred = `embedded and searched ${mine} of ${nChunks} corpus chunks`;
  if (!todo.length) return { scores: {}, deferred };
  const qEmb = q.ids.length ? await ctx.embed(q.texts, 'query', 'queries') : makeMatrix(0, ctx.embedder.dimension);
  // What merge compares with the corpus files instead of reading them (merge-lists.ts): the rows and the files'
  // fingerprint; and the ids in order, which every shard's lists must share.
  const corpusFacts = { rows: n, fingerprint: corpusFingerprint(data.corpus.files ?? []), ids_sha256: corpusIdsDigest([...data.corpus.keys()]) };
  const qDigest = sha256Hex(new Uint8Array(qEmb.data.buffer, qEmb.data.byteOffset, qEmb.data.byteLength));
  const ranges = todo.map((c): [number, number] => [c * rows, Math.min(n, (c + 1) * rows)]);
  // One pass over the corpus text for all of this shard's chunks (a streamed file is read once).
  const pieces = data.corpus.chunks(TEXT_READ_ROWS, ranges);
  const backend = createSearchBackend(ctx.search ?? {});
  try {
    for (const [i, c] of todo.entries()) {
      const [s, e] = ranges[i];
      const corpus = embeddedCorpus(ctx, data.corpus, pieces, [s, e], role, `corpus chunk ${c + 1}/${nChunks}`);
      const res = await backend.search(qEmb, corpus, k, { similarity });
      const header = {
        chunk: c,
        of: nChunks,
        rows: e - s,
        k,
        similarity,
        queries: q.ids.length,
        query_ids_sha256: queryIdsDigest(q.ids),
        query_vectors_sha256: qDigest,
        meta: res.meta ?? {},
        corpus: corpusFacts,
      };
      // The list first, the marker last: a marker always has its list beside it.
      await writeFileAtomic(chunkListPath(shard.markerDir, c, nChunks), encodeChunkList(header, res.ids, res.scores));
      await writeFileAtomic(
        chunkMarker(shard.markerDir, c, nChunks),
        JSON.stringify({ chunk: c, of: nChunks, rows: e - s, shard: `${shard.index}/${shard.count}` }) + '\n',
      );
    }
  } finally {
    await backend.close?.();
    await pieces.return(undefined);
  }
  return { scores: {}, deferred };
}

/**
 * Under `merge`: whether this (split, subset)'s corpus was split and searched by the shards (its marker folder has
 * chunk lists), so its rows need not be read: the lists stand for them (the loader's `corpusUnread`).
 */
export function corpusFromLists(ctx: EvalContext<RetrievalSpec | RerankingSpec>): boolean {
  return !!ctx.chunkLists && missingChunks(ctx.chunkLists.dir) !== null;
}

/**
 * Under `merge`: the split corpus's top-k from its chunks' lists, or null when this split was not split across
 * shards (no markers: searched here as usual). A missing chunk is E_RESULTS (merge's plan refuses earlier).
 * `corpus` is what the loader gave: its rows unread (corpusFromLists), the lists are checked against its files'
 * fingerprint; read, against its size.
 */
export function mergedChunkLists(dir: string, queryIds: readonly string[], corpus: CorpusTexts): MergedLists | null {
  const m = missingChunks(dir);
  if (!m) return null;
  if (m.missing.length) throw new MtebError('E_RESULTS', `corpus chunks ${m.missing.join(', ')} of ${m.total} have no top-k list`, { file: dir });
  const check = corpus.unread ? { files: corpus.files ?? [], fingerprint: corpusFingerprint(corpus.files ?? []) } : { size: corpus.size };
  return mergeChunkLists(dir, m.total, queryIds, check);
}
