import type { EvalContext } from '../adapter.js';
import type { CorpusTextChunk, CorpusTexts } from '../../core/datasets.js';
import type { RerankingSpec, RetrievalSpec } from '../spec.js';
import type { CorpusProvider, CorpusChunk } from '../../search/types.js';
import { corpusText } from './corpus-text.js';

/** Rows of vectors the search receives at once (mteb's corpus chunk). */
export const CORPUS_CHUNK_ROWS = 50_000;
// Inside a chunk, text is embedded at most this many documents or characters at a time (read in pieces of 500
// that tile the chunks), so the text alive at once is bounded whatever the corpus's text size: peak RSS follows
// the vectors and ids, not the text (bench/memory/corpus-text.ts, docs/BENCHMARKS.md).
export const TEXT_READ_ROWS = 500;
const TEXT_EMBED_ROWS = 5_000;
const TEXT_EMBED_CHARS = 8 * 2 ** 20;

/**
 * Corpus rows [start, end) embedded chunk by chunk as the search consumes them, so memory holds one chunk of
 * vectors plus the per-query top-k lists, never the whole corpus (MSMARCO: 8.8M x 4096 floats would be 144 GB).
 *
 * `shared`, when given, yields the corpus text in corpus order (`corpus.chunks(TEXT_READ_ROWS, ranges)`) for
 * several ranges: a shard searching several corpus chunks reads the corpus file once, each chunk's provider
 * taking the pieces of its own rows on its first pass, and never closing it. A later pass (HNSW's recall check
 * searches the corpus again) reads the range afresh. `label(textStart, textEnd)` names each embedding call.
 */
export function embeddedCorpus(
  ctx: EvalContext<RetrievalSpec | RerankingSpec>,
  corpus: CorpusTexts,
  shared: AsyncIterator<CorpusTextChunk> | undefined,
  range: [number, number],
  role: 'query' | 'passage',
  label: (textStart: number, textEnd: number) => string,
): CorpusProvider {
  const [start, end] = range;
  const dim = ctx.embedder.dimension;
  return {
    dim,
    size: end - start,
    // Text is read (or, for a large corpus, streamed from its file) in corpus order and embedded a bounded piece
    // at a time; the vectors of a whole chunk are gathered before the search sees them.
    async *chunks(): AsyncIterable<CorpusChunk> {
      const own = shared ? undefined : corpus.chunks(TEXT_READ_ROWS, [[start, end]]);
      const pieces = (shared ?? own)!;
      shared = undefined;
      try {
        yield* embedRange(pieces);
      } finally {
        await own?.return(undefined);
      }
    },
  };

  // One pass over the range's pieces, embedded and gathered into chunks of CORPUS_CHUNK_ROWS.
  async function* embedRange(pieces: AsyncIterator<CorpusTextChunk>): AsyncIterable<CorpusChunk> {
    let chunk: { start: number; rows: number; ids: string[]; data: Float32Array } | null = null;
    let texts: string[] = [];
    let textStart = 0;
    let chars = 0;
    let at = start;
    while (at < end) {
      const next = await pieces.next();
      if (next.done) break;
      const p = next.value;
      // Pieces of an earlier range its search never pulled (no queries: nothing is embedded or searched).
      if (p.start + p.ids.length <= start) continue;
      if (!chunk) {
        const rows = Math.min(CORPUS_CHUNK_ROWS, end - p.start);
        chunk = { start: p.start, rows, ids: [], data: new Float32Array(rows * dim) };
      }
      if (!texts.length) textStart = p.start;
      for (const d of p.docs) {
        const t = corpusText(d);
        texts.push(t);
        chars += t.length;
      }
      for (const id of p.ids) chunk.ids.push(id);
      at = p.start + p.ids.length;
      const chunkDone = chunk.ids.length === chunk.rows;
      if (chunkDone || texts.length >= TEXT_EMBED_ROWS || chars >= TEXT_EMBED_CHARS) {
        const m = await ctx.embed(texts, role, label(textStart, textStart + texts.length));
        chunk.data.set(m.data, (textStart - chunk.start) * dim);
        texts = [];
        chars = 0;
      }
      if (chunkDone) {
        yield { ids: chunk.ids, dim, data: chunk.data };
        chunk = null;
      }
    }
  }
}
