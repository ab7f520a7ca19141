import { sharedStep } from '../../util/progress.js';
import type { EvalContext } from '../adapter.js';
import type { CorpusTextChunk, CorpusTexts } from '../../core/datasets.js';
import type { RerankingSpec, RetrievalSpec } from '../spec.js';
import type { CorpusProvider, CorpusChunk } from '../../search/types.js';
import { corpusText } from './corpus-text.js';
import { RowNormBound, trustRowNormBound } from '../../search/row-norm-bound.js';
import { markStable } from '../../search/stable-chunk.js';

/** Rows of vectors the search receives at once (mteb's corpus chunk). */
export const CORPUS_CHUNK_ROWS = 50_000;
/**
 * A range's last chunk is cut to at most this many rows (its first part becomes a chunk of its own): the search
 * of the last chunk is the only search left after the last vector comes back, so a small one keeps the embedder's
 * idle tail short (bench/pipeline/busy.ts). The search's results do not depend on where the chunks are cut.
 */
export const LAST_CHUNK_ROWS = 5_000;
// Text is read in pieces of 500 rows (that tile the ranges), each piece embedded as soon as it is read, with at
// most this many documents or characters read ahead of the search's chunks (pieces being embedded or embedded
// and not yet gathered): the text alive at once is bounded whatever the corpus's text size, so peak RSS follows
// the vectors and ids, not the text (bench/memory/corpus-text.ts, docs/BENCHMARKS.md).
export const TEXT_READ_ROWS = 500;
const TEXT_AHEAD_ROWS = 5_000;
const TEXT_AHEAD_CHARS = 8 * 2 ** 20;

/** Where the chunks of [start, end) end: every CORPUS_CHUNK_ROWS rows, the last one cut to LAST_CHUNK_ROWS. */
export function chunkEnds(start: number, end: number): number[] {
  const ends: number[] = [];
  for (let b = start + CORPUS_CHUNK_ROWS; b < end; b += CORPUS_CHUNK_ROWS) ends.push(b);
  const lastStart = ends.length ? ends[ends.length - 1] : start;
  if (end - lastStart > LAST_CHUNK_ROWS) ends.push(end - LAST_CHUNK_ROWS);
  ends.push(end);
  return ends;
}

/**
 * Corpus rows [start, end) embedded chunk by chunk as the search consumes them, so memory holds two chunks of
 * vectors (the one searched, the next one embedding) plus the text read ahead and the per-query top-k lists,
 * never the whole corpus (MSMARCO: 8.8M x 4096 floats would be 144 GB). (Exact search with the native kernel also
 * keeps the chunks of its current coalesced group, up to its coalescing budget, where it used to copy them.)
 *
 * `shared`, when given, yields the corpus text in corpus order (`corpus.chunks(TEXT_READ_ROWS, ranges)`) for
 * several ranges: a shard searching several corpus chunks reads the corpus file once, each chunk's provider
 * taking the pieces of its own rows on its first pass, and never closing it. A later pass (HNSW's recall check
 * searches the corpus again) reads the range afresh. `label` names the range's progress step: one step over all
 * its rows, whatever the pieces in flight (sharedStep), so its count, rate and ETA are the range's.
 */
export function embeddedCorpus(
  ctx: EvalContext<RetrievalSpec | RerankingSpec>,
  corpus: CorpusTexts,
  shared: AsyncIterator<CorpusTextChunk> | undefined,
  range: [number, number],
  role: 'query' | 'passage',
  label: string,
  /** Vectors embedded while the split loaded (early-embed.ts), taken where they are of exactly these rows' texts. */
  early?: { takeCorpus(start: number, texts: string[]): Promise<Float32Array> | undefined },
): CorpusProvider {
  const [start, end] = range;
  const dim = ctx.embedder.dimension;
  const ends = chunkEnds(start, end);
  return {
    dim,
    size: end - start,
    // Text is read (or, for a large corpus, streamed from its file) in corpus order and embedded a piece at a
    // time; the vectors of a whole chunk are gathered before the search sees them.
    async *chunks(): AsyncIterable<CorpusChunk> {
      const own = shared ? undefined : corpus.chunks(TEXT_READ_ROWS, [[start, end]]);
      const pieces = (shared ?? own)!;
      shared = undefined;
      // Named as the run names every embedding step (src/run/runner.ts): task, split/subset, what.
      const step = sharedStep(ctx.progress, `${ctx.spec.name} ${ctx.split}/${ctx.subset} ${label}`, end - start);
      try {
        yield* embedRange(pieces, step);
      } finally {
        step.end();
        await own?.return(undefined);
      }
    },
  };

  // One pass over the range's pieces, gathered into the chunks `ends` marks. The next chunk is always being
  // embedded: while the search works on chunk i (on libuv's and worker threads), chunk i + 1 fills, so the
  // embedder never waits for the search (bench/pipeline/busy.ts). The search sees the same rows in the same
  // order, so its results are unchanged; two chunks of vectors are alive instead of one.
  async function* embedRange(pieces: AsyncIterator<CorpusTextChunk>, step: Step): AsyncIterable<CorpusChunk> {
    const reader = blockReader(pieces, step);
    const fill = async (): Promise<CorpusChunk | null> => {
      let chunk: { start: number; ids: string[]; data: Float32Array; bound: RowNormBound } | null = null;
      for (;;) {
        const block = await reader.next();
        if (!block) return null;
        chunk ??= { start: block.start, ids: [], data: new Float32Array((block.chunkEnd - block.start) * dim), bound: new RowNormBound() };
        chunk.data.set(block.data, (block.start - chunk.start) * dim);
        // The dot-product search's row-norm bound, taken as each block arrives (still in cache; the embedding
        // costs far more), so the search does not read the chunk once more before its engine runs.
        chunk.bound.add(block.data, block.ids.length, dim);
        for (const id of block.ids) chunk.ids.push(id);
        // Each chunk's array is its own, never refilled: stable (the search may read it after asking for the next).
        if (block.start + block.ids.length === block.chunkEnd) return markStable(trustRowNormBound({ ids: chunk.ids, dim, data: chunk.data }, chunk.bound));
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
      // The search stopped early or failed: the pieces in flight finish (their vectors reach the cache) and no
      // further text is read; their own error, if any, gives way to the search's.
      reader.stop();
      await ahead?.catch(() => undefined);
      await reader.settle();
    }
  }

  // Hands out the range's rows as blocks (a piece, cut where a chunk ends) in corpus order, each one's embedding
  // started when it was read: every call first reads ahead up to TEXT_AHEAD_ROWS / TEXT_AHEAD_CHARS, starting
  // each block's embedding at once, so the embedder has the next blocks' batches queued (embedTexts lets them take
  // the slots an earlier block leaves idle, never more than its limit: src/run/embed-slots.ts) and never waits
  // for a block to be read. Calls never overlap (the next starts after the previous resolved), so the pieces are
  // read in order.
  function blockReader(pieces: AsyncIterator<CorpusTextChunk>, step: Step): { next(): Promise<EmbeddedBlock | null>; stop(): void; settle(): Promise<void> } {
    let at = start;
    let chunk = 0;
    /** The rest of a piece cut where a chunk ended. */
    let rest: CorpusTextChunk | undefined;
    let stopped = false;
    const started: StartedBlock[] = [];
    let aheadRows = 0;
    let aheadChars = 0;

    // The next block's rows, or null at the range's end.
    const read = async (): Promise<CorpusTextChunk | null> => {
      let p = rest;
      rest = undefined;
      while (!p) {
        if (at >= end) return null;
        const next = await pieces.next();
        if (next.done) return null;
        // Pieces of an earlier range its search never pulled (no queries: nothing is embedded or searched).
        if (next.value.start + next.value.ids.length <= start) continue;
        p = next.value;
      }
      at = p.start + p.ids.length;
      while (p.start >= ends[chunk]) chunk++;
      const cut = ends[chunk] - p.start;
      if (cut < p.ids.length) {
        rest = { start: ends[chunk], ids: p.ids.slice(cut), docs: p.docs.slice(cut) };
        p = { start: p.start, ids: p.ids.slice(0, cut), docs: p.docs.slice(0, cut) };
      }
      return p;
    };

    const readAhead = async (): Promise<void> => {
      while (!stopped && (!started.length || (aheadRows < TEXT_AHEAD_ROWS && aheadChars < TEXT_AHEAD_CHARS))) {
        const p = await read();
        if (!p) return;
        const texts = p.docs.map(corpusText);
        const chars = texts.reduce((a, t) => a + t.length, 0);
        const taken = early?.takeCorpus(p.start, texts);
        taken?.then(() => step.add(texts.length), () => undefined);
        const data = taken ?? ctx.embed(texts, role, label, step.piece(texts.length)).then((m) => m.data);
        // Awaited when handed out or by settle(); until then a failure must not count as unhandled.
        data.catch(() => undefined);
        started.push({ start: p.start, ids: p.ids, chunkEnd: ends[chunk], rows: texts.length, chars, data });
        aheadRows += texts.length;
        aheadChars += chars;
      }
    };

    return {
      stop: () => {
        stopped = true;
      },
      async settle(): Promise<void> {
        for (const b of started.splice(0)) await b.data.catch(() => undefined);
      },
      async next(): Promise<EmbeddedBlock | null> {
        await readAhead();
        const b = started.shift();
        if (!b) return null;
        try {
          return { start: b.start, ids: b.ids, chunkEnd: b.chunkEnd, data: await b.data };
        } finally {
          aheadRows -= b.rows;
          aheadChars -= b.chars;
        }
      },
    };
  }
}

type Step = ReturnType<typeof sharedStep>;

/** A block whose embedding has started: rows [start, start + rows) of the chunk ending at `chunkEnd`. */
interface StartedBlock {
  start: number;
  ids: string[];
  chunkEnd: number;
  rows: number;
  chars: number;
  data: Promise<Float32Array>;
}

/** Corpus rows [start, start + ids.length) embedded, in the chunk that ends at row `chunkEnd`. */
interface EmbeddedBlock {
  start: number;
  ids: string[];
  chunkEnd: number;
  data: Float32Array;
}
