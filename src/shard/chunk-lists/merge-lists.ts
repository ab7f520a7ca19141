import { MtebError } from '../../core/errors.js';
import { compareUtf8 } from '../../search/id-order.js';
import { chunkListPath } from './paths.js';
import { readChunkList, sha256Hex, type ChunkList, type ChunkListHeader, type ListPart } from './format.js';

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
 * A k-way merge (a heap of the chunks' next entries): k pops per query at log(chunks) comparisons each. It reads
 * each list's head (format.ts: ~k / chunks ranks per query plus a margin) and a chunk's tail only if a query
 * takes more than the head from it, and decodes only the ids it outputs or compares, so its time is about
 * queries × k × log(chunks) whatever the chunk count and corpus size (bench/shard/merge.ts). Reading every list
 * whole made it grow with the chunks (7 % of a whole search at 1 chunk, 29-33 % at 16, BENCHMARKS.md).
 */
export function mergeChunkLists(dir: string, nChunks: number, queryIds: readonly string[], corpusSize: number): MergedLists {
  return mergeChunkListsWithStats(dir, nChunks, queryIds, corpusSize).merged;
}

export interface MergeStats {
  /** Bytes read from the lists, and their total size. */
  bytesRead: number;
  bytesTotal: number;
  /** Lists whose tail had to be read. */
  tailsRead: number;
}

export function mergeChunkListsWithStats(dir: string, nChunks: number, queryIds: readonly string[], corpusSize: number): { merged: MergedLists; stats: MergeStats } {
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
  if (nChunks && rows !== corpusSize)
    throw new MtebError('E_RESULTS', `the ${nChunks} corpus chunk top-k lists in ${dir} cover ${rows} documents, the corpus has ${corpusSize}: rerun the shards on the same data`, { file: dir });
  const k = lists[0]?.header.k ?? 0;
  const out: MergedLists = { ids: [], scores: [], meta: metaOf(lists) };
  const heap = new Int32Array(nChunks);
  // Per chunk, the part its cursor is in (head, then tail), the position and the part's end for this query.
  const part: ListPart[] = lists.map((l) => l.head);
  const inTail = new Uint8Array(nChunks);
  const at = new Uint32Array(nChunks);
  const end = new Uint32Array(nChunks);
  // Each chunk's next score, kept here so the heap compares without going through the chunk's arrays.
  const cur = new Float64Array(nChunks);
  const idAt = (c: number): string => lists[c].id(part[c].refs[at[c]]);
  // Chunk a's next entry ranks before chunk b's.
  const before = (a: number, b: number): boolean => {
    const sa = cur[a];
    const sb = cur[b];
    return sa > sb || (sa === sb && compareUtf8(idAt(a), idAt(b)) > 0);
  };
  const down = (i: number, size: number) => {
    for (;;) {
      const l = 2 * i + 1;
      if (l >= size) return;
      const m = l + 1 < size && before(heap[l + 1], heap[l]) ? l + 1 : l;
      if (!before(heap[m], heap[i])) return;
      const t = heap[i];
      heap[i] = heap[m];
      heap[m] = t;
      i = m;
    }
  };
  for (let q = 0; q < queryIds.length; q++) {
    let size = 0;
    let total = 0;
    for (let c = 0; c < nChunks; c++) {
      part[c] = lists[c].head;
      inTail[c] = 0;
      at[c] = part[c].starts[q];
      end[c] = part[c].starts[q + 1];
      total += lists[c].counts[q];
      if (at[c] < end[c]) {
        cur[c] = part[c].scores[at[c]];
        heap[size++] = c;
      }
    }
    for (let i = (size >> 1) - 1; i >= 0; i--) down(i, size);
    const n = Math.min(k, total);
    const ids = new Array<string>(n);
    const scores = new Float32Array(n);
    for (let r = 0; r < n; r++) {
      const c = heap[0];
      ids[r] = idAt(c);
      scores[r] = cur[c];
      if (++at[c] < end[c]) cur[c] = part[c].scores[at[c]];
      else {
        // The head of this query in chunk c is used up: go on in its tail, if it has one.
        const t = inTail[c] ? undefined : lists[c].tail;
        const tp = t && lists[c].counts[q] > lists[c].header.head ? t() : undefined;
        if (tp) {
          part[c] = tp;
          inTail[c] = 1;
          at[c] = tp.starts[q];
          end[c] = tp.starts[q + 1];
          cur[c] = tp.scores[at[c]];
        } else heap[0] = heap[--size];
      }
      down(0, size);
    }
    out.ids.push(ids);
    out.scores.push(scores);
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
