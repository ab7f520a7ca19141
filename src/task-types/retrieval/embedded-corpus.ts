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
 * Corpus rows [start, end) embedded chunk by chunk as the search consumes them, so memory holds two chunks of
 * vectors (the one searched, the next one embedding) plus the per-query top-k lists, never the whole corpus
 * (MSMARCO: 8.8M x 4096 floats would be 144 GB).
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

  // One pass over the range's pieces, embedded a block at a time and gathered into chunks of CORPUS_CHUNK_ROWS.
  // The next chunk is always being embedded: while the search works on chunk i (on libuv's and worker threads),
  // chunk i + 1 fills, so the embedder never waits for the search (bench/pipeline/busy.ts). The search sees the
  // same chunks in the same order, so its results are unchanged; two chunks of vectors are alive instead of one.
  async function* embedRange(pieces: AsyncIterator<CorpusTextChunk>): AsyncIterable<CorpusChunk> {
    const reader = blockReader(pieces);
    const fill = async (): Promise<CorpusChunk | null> => {
      let chunk: { start: number; ids: string[]; data: Float32Array } | null = null;
      for (;;) {
        const block = await reader.next();
        if (!block) return null;
        chunk ??= { start: block.start, ids: [], data: new Float32Array(Math.min(CORPUS_CHUNK_ROWS, end - block.start) * dim) };
        chunk.data.set(block.data, (block.start - chunk.start) * dim);
        for (const id of block.ids) chunk.ids.push(id);
        if (block.chunkDone) return { ids: chunk.ids, dim, data: chunk.data };
      }
    };
    let ahead: Promise<CorpusChunk | null> | undefined = fill();
    try {
      for (;;) {
        const chunk = await ahead;
        ahead = undefined;
        if (!chunk) break;
        ahead = fill();
        // Awaited on the next pass or in `finally`; until then a failure must not count as unhandled.
        ahead.catch(() => undefined);
        yield chunk;
      }
    } finally {
      // The search stopped early or failed: the block in flight finishes (its vectors reach the cache) and no
      // further text is read; its own error, if any, gives way to the search's.
      reader.stop();
      await ahead?.catch(() => undefined);
    }
  }

  // Reads pieces up to a block's bound (rows, characters, or the end of a chunk) and embeds them, one block per
  // call; calls never overlap (the next starts after the previous resolved), so the pieces are read in order.
  function blockReader(pieces: AsyncIterator<CorpusTextChunk>): { next(): Promise<EmbeddedBlock | null>; stop(): void } {
    let at = start;
    /** The first row of the chunk being read (its first piece's), undefined between chunks. */
    let chunkStart: number | undefined;
    let stopped = false;
    return {
      stop: () => {
        stopped = true;
      },
      async next(): Promise<EmbeddedBlock | null> {
        const texts: string[] = [];
        const ids: string[] = [];
        let textStart = -1;
        let chars = 0;
        let chunkDone = false;
        while (at < end && !stopped) {
          const next = await pieces.next();
          if (next.done) break;
          const p = next.value;
          // Pieces of an earlier range its search never pulled (no queries: nothing is embedded or searched).
          if (p.start + p.ids.length <= start) continue;
          if (textStart < 0) textStart = p.start;
          chunkStart ??= p.start;
          for (const d of p.docs) {
            const t = corpusText(d);
            texts.push(t);
            chars += t.length;
          }
          for (const id of p.ids) ids.push(id);
          at = p.start + p.ids.length;
          chunkDone = ids.length + (textStart - chunkStart) >= Math.min(CORPUS_CHUNK_ROWS, end - chunkStart);
          if (chunkDone || texts.length >= TEXT_EMBED_ROWS || chars >= TEXT_EMBED_CHARS) break;
        }
        if (textStart < 0) return null;
        if (chunkDone) chunkStart = undefined;
        const m = await ctx.embed(texts, role, label(textStart, textStart + texts.length));
        return { start: textStart, ids, data: m.data, chunkDone };
      },
    };
  }
}

/** Corpus rows [start, start + ids.length) embedded; `chunkDone` when they end a chunk of the search. */
interface EmbeddedBlock {
  start: number;
  ids: string[];
  data: Float32Array;
  chunkDone: boolean;
}
