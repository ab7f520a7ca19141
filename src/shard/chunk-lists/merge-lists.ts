import { MtebError } from '../../core/errors.js';
import { RankedList } from '../../search/ranked-list.js';
import { chunkListPath } from './paths.js';
import { readChunkList, sha256Hex, type ChunkListHeader } from './format.js';

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
 * Merges the per-chunk top-k lists of one split corpus into its top-k, per query, with the single-process
 * search's own merge (RankedList: canonical score desc, then doc id desc by UTF-8 bytes). Each list holds the
 * chunk's exact top-k under that total order (the canonical rescoring's k + excluded + margin rule is applied
 * inside each chunk's search), so a document of the global top-k has fewer than k documents of its own chunk
 * before it and is in its chunk's list: the merge is the top-k of the whole corpus, bit for bit. No corpus
 * vector is read and nothing is searched: the cost is the lists' size (chunks × queries × k), not the corpus's.
 */
export function mergeChunkLists(dir: string, nChunks: number, queryIds: readonly string[], corpusSize: number): MergedLists {
  const want = queryIdsDigest(queryIds);
  const best = queryIds.map(() => new RankedList(1));
  let first: { header: ChunkListHeader; file: string } | undefined;
  const metas: string[] = [];
  let rows = 0;
  for (let c = 0; c < nChunks; c++) {
    const file = chunkListPath(dir, c, nChunks);
    const l = readChunkList(file);
    const h = l.header;
    const refuse = (why: string) => new MtebError('E_RESULTS', `corpus chunk top-k list does not belong to this merge: ${why}; delete it and its .done marker and rerun its shard`, { file });
    if (h.chunk !== c || h.of !== nChunks) throw refuse(`it is chunk ${h.chunk} of ${h.of}, expected ${c} of ${nChunks}`);
    if (h.queries !== queryIds.length || h.query_ids_sha256 !== want)
      throw refuse(`searched for other queries (${h.queries}) than merge evaluates (${queryIds.length}): another dataset, --limit or protocol`);
    if (!first) {
      first = { header: h, file };
      for (let q = 0; q < best.length; q++) best[q] = new RankedList(h.k);
    } else {
      const f = first.header;
      if (h.k !== f.k || h.similarity !== f.similarity) throw refuse(`top-${h.k} by ${h.similarity}, but ${first.file} is top-${f.k} by ${f.similarity}`);
      if (h.query_vectors_sha256 !== f.query_vectors_sha256)
        throw refuse(`its query vectors differ from those of ${first.file} (a model whose output changed between shards)`);
    }
    rows += h.rows;
    metas.push(JSON.stringify(h.meta));
    for (let q = 0; q < queryIds.length; q++) {
      const n = l.counts[q];
      if (!n) continue;
      const s = l.starts[q];
      const ids = new Array<string>(n);
      for (let r = 0; r < n; r++) ids[r] = l.ids[l.idIndex[s + r]];
      best[q].merge(ids, l.scores.subarray(s, s + n), n);
    }
  }
  if (nChunks && rows !== corpusSize)
    throw new MtebError('E_RESULTS', `the ${nChunks} corpus chunk top-k lists in ${dir} cover ${rows} documents, the corpus has ${corpusSize}: rerun the shards on the same data`, { file: dir });
  // Exact search reports the same facts for every chunk; a backend whose facts differ per chunk (HNSW: build
  // times, sampled recall) gets them per chunk.
  const meta = new Set(metas).size <= 1 ? (first?.header.meta ?? {}) : { chunks: metas.map((m) => JSON.parse(m) as unknown) };
  return { ids: best.map((b) => b.ids), scores: best.map((b) => b.scores), meta };
}
