import { MtebError } from '../../core/errors.js';
import { compareUtf8 } from '../../search/id-order.js';
import { chunkListPath } from './paths.js';
import { readChunkList, sha256Hex, type ChunkList, type ChunkListHeader } from './format.js';

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
 * A k-way merge (a heap of the chunks' next entries): k pops per query at log(chunks) comparisons each, so the
 * time is the reading of the lists (chunks × queries × k × 8 bytes, checksummed) plus queries × k × log(chunks);
 * merging the lists pairwise into a RankedList cost queries × k per chunk and tripled the merge at 16 chunks.
 * Every list is held at once (MSMARCO: 18 chunks × 6,980 queries × k 1,000 ≈ 1 GB).
 */
export function mergeChunkLists(dir: string, nChunks: number, queryIds: readonly string[], corpusSize: number): MergedLists {
  const want = queryIdsDigest(queryIds);
  const lists: ChunkList[] = [];
  const files: string[] = [];
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
    if (f && (h.k !== f.k || h.similarity !== f.similarity)) throw refuse(`top-${h.k} by ${h.similarity}, but ${files[0]} is top-${f.k} by ${f.similarity}`);
    if (f && h.query_vectors_sha256 !== f.query_vectors_sha256)
      throw refuse(`its query vectors differ from those of ${files[0]} (a model whose output changed between shards)`);
    rows += h.rows;
    lists.push(l);
    files.push(file);
  }
  if (nChunks && rows !== corpusSize)
    throw new MtebError('E_RESULTS', `the ${nChunks} corpus chunk top-k lists in ${dir} cover ${rows} documents, the corpus has ${corpusSize}: rerun the shards on the same data`, { file: dir });
  const k = lists[0]?.header.k ?? 0;
  const out: MergedLists = { ids: [], scores: [], meta: metaOf(lists) };
  const heap = new Int32Array(nChunks);
  const at = new Uint32Array(nChunks);
  const end = new Uint32Array(nChunks);
  const idAt = (c: number): string => {
    const id = lists[c].ids[lists[c].idIndex[at[c]]];
    if (id === undefined) throw new MtebError('E_RESULTS', `corpus chunk top-k list is damaged (an entry points past its id table): delete it and its .done marker and rerun its shard`, { file: files[c] });
    return id;
  };
  // Chunk a's next entry ranks before chunk b's.
  const before = (a: number, b: number): boolean => {
    const sa = lists[a].scores[at[a]];
    const sb = lists[b].scores[at[b]];
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
      at[c] = lists[c].starts[q];
      end[c] = at[c] + lists[c].counts[q];
      total += lists[c].counts[q];
      if (at[c] < end[c]) heap[size++] = c;
    }
    for (let i = (size >> 1) - 1; i >= 0; i--) down(i, size);
    const n = Math.min(k, total);
    const ids = new Array<string>(n);
    const scores = new Float32Array(n);
    for (let r = 0; r < n; r++) {
      const c = heap[0];
      ids[r] = idAt(c);
      scores[r] = lists[c].scores[at[c]++];
      if (at[c] === end[c]) heap[0] = heap[--size];
      down(0, size);
    }
    out.ids.push(ids);
    out.scores.push(scores);
  }
  return out;
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
