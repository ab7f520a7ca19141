import { MtebError } from '../../core/errors.js';
import { chunkListPath } from './paths.js';
import { readChunkList, sha256Hex, type ChunkList, type ChunkListHeader } from './format.js';
import { heapMerge } from './heap-merge.js';
import { RunMerger } from './run-merge.js';

export interface MergedLists {
  /** Per query (in the order given), the merged top-k: ids and canonical scores in rank order. */
  ids: string[][];
  scores: Float32Array[];
  /** The search backend's result-file facts, as one search over the whole corpus reports them. */
  meta: Record<string, unknown>;
}

/** sha256 of the evaluated query ids, as the list headers record them. */
export const queryIdsDigest = (ids: readonly string[]): string => sha256Hex(JSON.stringify(ids));

/**
 * Merges the per-chunk top-k lists of one split corpus into its top-k, per query, under the single-process
 * search's total order (canonical score desc, then doc id desc by UTF-8 bytes: `compareUtf8`, the order
 * RankedList keeps). Each list holds the chunk's exact top-k under that order (the canonical rescoring's
 * k + excluded + margin rule is applied inside each chunk's search), so a document of the global top-k has fewer
 * than k documents of its own chunk before it and is in its chunk's list: the merge is the top-k of the whole
 * corpus, bit for bit. No corpus vector is read and nothing is searched.
 *
 * Per query, from 8 chunks on, the heads are merged by bucketing their scores (run-merge.ts: a few passes over
 * ~k + 4·√(k·chunks) + 8·chunks entries, no per-entry comparisons); with fewer chunks, or for the rare query that
 * takes more than its head from some chunk, by a k-way heap merge that reads tails as needed (heap-merge.ts). Only the heads are read unless a tail
 * is needed, and only the ids output or compared are decoded, so the time is about queries × k whatever the
 * corpus size, and grows with the chunk count only through the heads' margin (bench/shard/merge-chunks.ts).
 */
export function mergeChunkLists(dir: string, nChunks: number, queryIds: readonly string[], corpus: CorpusCheck): MergedLists {
  return mergeChunkListsWithStats(dir, nChunks, queryIds, corpus).merged;
}

/** Chunk count from which the heads are merged by buckets (run-merge.ts) rather than a heap. */
export const BUCKET_MERGE_FROM = 8;

export interface MergeStats {
  /** Bytes read from the lists, and their total size. */
  bytesRead: number;
  bytesTotal: number;
  /** Lists whose tail had to be read. */
  tailsRead: number;
}

/**
 * What the lists must add up to: the corpus's size (its rows were read), or its data files' fingerprint (they were
 * not: every list must record that fingerprint and the same corpus rows, and the chunks' rows must sum to them).
 * A bare number is a size.
 */
export type CorpusCheck = number | { size: number } | { files: readonly string[]; fingerprint: string };

export function mergeChunkListsWithStats(dir: string, nChunks: number, queryIds: readonly string[], corpus: CorpusCheck): { merged: MergedLists; stats: MergeStats } {
  const want = queryIdsDigest(queryIds);
  const lists: ChunkList[] = [];
  let rows = 0;
  for (let c = 0; c < nChunks; c++) {
    const file = chunkListPath(dir, c, nChunks);
    const l = readChunkList(file);
    const h = l.header;
    const refuse = (why: string) => new MtebError('E_RESULTS', `corpus chunk top-k list does not belong to this merge: ${why}; delete it and its .done marker and rerun its shard`, { file });
    if (h.chunk !== c || h.of !== nChunks) throw refuse(`it is chunk ${h.chunk} of ${h.of}, expected ${c} of ${nChunks}`);
    if (h.queries !== queryIds.length || h.query_ids_sha256 !== want)
      throw refuse(`searched for other queries (${h.queries}) than merge evaluates (${queryIds.length}): another dataset, --limit or protocol`);
    const f = lists[0]?.header;
    if (f && (h.k !== f.k || h.similarity !== f.similarity)) throw refuse(`top-${h.k} by ${h.similarity}, but ${lists[0].file} is top-${f.k} by ${f.similarity}`);
    if (f && h.query_vectors_sha256 !== f.query_vectors_sha256)
      throw refuse(`its query vectors differ from those of ${lists[0].file} (a model whose output changed between shards)`);
    rows += h.rows;
    lists.push(l);
  }
  const check = typeof corpus === 'number' ? { size: corpus } : corpus;
  if ('size' in check) {
    if (nChunks && rows !== check.size)
      throw new MtebError('E_RESULTS', `the ${nChunks} corpus chunk top-k lists in ${dir} cover ${rows} documents, the corpus has ${check.size}: rerun the shards on the same data`, { file: dir });
  } else {
    for (const l of lists) {
      const c = l.header.corpus;
      const refuse = (why: string) => new MtebError('E_RESULTS', `corpus chunk top-k list does not belong to this merge: ${why}; delete it and its .done marker and rerun its shard`, { file: l.file });
      if (!c) throw refuse('it does not record the corpus it was made from (an older mteb-ts)');
      if (c.fingerprint !== check.fingerprint)
        throw refuse(`made from other corpus data than ${check.files.join(', ')} (their size or first/last MiB differ: another dataset revision or a rewritten file)`);
      if (c.rows !== rows) throw refuse(`its shard loaded a corpus of ${c.rows} documents, the ${nChunks} lists cover ${rows}`);
      const first = lists[0].header.corpus;
      if (!c.ids_sha256 || c.ids_sha256 !== first?.ids_sha256)
        throw refuse(`its shard read other corpus ids than the shard of ${lists[0].file} (the data changed between shards: rerun them all on the same data)`);
    }
  }
  const k = lists[0]?.header.k ?? 0;
  const out: MergedLists = { ids: [], scores: [], meta: metaOf(lists) };
  // The bucket merge pays per head entry, the heap per output entry and heap level: with few chunks (2 levels at
  // 4) the heap is as fast (bench/shard/merge-chunks.ts), from 8 on the buckets are faster.
  const runs = nChunks >= BUCKET_MERGE_FROM ? new RunMerger(lists) : undefined;
  for (let q = 0; q < queryIds.length; q++) {
    const m = runs?.merge(q, k) ?? heapMerge(lists, q, k);
    out.ids.push(m.ids);
    out.scores.push(m.scores);
  }
  let bytesRead = 0;
  let bytesTotal = 0;
  let tailsRead = 0;
  for (const l of lists) {
    bytesRead += l.bytesRead();
    bytesTotal += l.size;
    if (l.tailLoaded()) tailsRead++;
  }
  return { merged: out, stats: { bytesRead, bytesTotal, tailsRead } };
}

/**
 * Exact search reports the same facts for every chunk; a backend whose facts may differ per chunk (HNSW: the
 * recall sampled in each chunk) gets them per chunk when they do.
 */
function metaOf(lists: ChunkList[]): Record<string, unknown> {
  const metas = lists.map((l) => JSON.stringify(l.header.meta));
  if (new Set(metas).size <= 1) return lists[0]?.header.meta ?? {};
  return { chunks: lists.map((l) => l.header.meta) };
}

export type { ChunkListHeader };
