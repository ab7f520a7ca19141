// A retrieval corpus embeds its next search chunk while the search works on the current one: the chunks are the
// same rows in the same order as one after another, the last one cut small, no more than the next chunk and
// 5,000 rows of text are ever read ahead of the search, a search that stops early stops the reading (the pieces in
// flight finish first), and a failing piece's error comes out after the pieces in flight finished.
import { describe, test, expect } from '@jest/globals';
import { setTimeout as sleep } from 'node:timers/promises';
import type { CorpusTextChunk, CorpusTexts } from '../../src/core/datasets.js';
import type { EvalContext } from '../../src/task-types/adapter.js';
import type { RetrievalSpec } from '../../src/task-types/spec.js';
import { CORPUS_CHUNK_ROWS, LAST_CHUNK_ROWS, chunkEnds, embeddedCorpus } from '../../src/task-types/retrieval/embedded-corpus.js';
import { silentProgress } from '../../src/util/progress.js';
import { MtebError } from '../../src/core/errors.js';
import { rowNormBoundOf } from '../../src/search/row-norm-bound.js';
import { maxRowNorm } from '../../src/search/canonical/canonical.js';

const N = 2 * CORPUS_CHUNK_ROWS + 1234;

/** Document i's text is its number; only `chunks` is read by the provider. */
function corpus(size = N): CorpusTexts & { read: number } {
  const c = {
    size,
    read: 0,
    async *chunks(rows: number, ranges: [number, number][] = [[0, size]]): AsyncGenerator<CorpusTextChunk> {
      for (const [s, e] of ranges)
        for (let at = s; at < e; at += rows) {
          const n = Math.min(rows, e - at);
          c.read += n;
          yield { start: at, ids: Array.from({ length: n }, (_, i) => `d${at + i}`), docs: Array.from({ length: n }, (_, i) => ({ title: '', text: String(at + i) })) };
        }
    },
  };
  return c as unknown as CorpusTexts & { read: number };
}

/** ctx.embed answers [row, -row] per text and logs the first row of every call. */
/** A retrieval task's context (2-dimensional vectors, no progress output) whose embedding is `embed`. */
function contextWith(embed: (texts: string[]) => Promise<unknown>): EvalContext<RetrievalSpec> {
  return { embedder: { dimension: 2 }, progress: silentProgress, spec: { name: 'Overlap' }, split: 'test', subset: 'default', embed } as unknown as EvalContext<RetrievalSpec>;
}

function context(log: number[]): EvalContext<RetrievalSpec> {
  return contextWith(async (texts) => {
    log.push(Number(texts[0]));
    await sleep(1);
    const data = new Float32Array(texts.length * 2);
    texts.forEach((t, i) => data.set([Number(t), -Number(t)], 2 * i));
    return { rows: texts.length, dim: 2, data };
  });
}

describe('corpus embedding overlapped with the search', () => {
  test('same chunks, same rows, in order; the next chunk embeds while one is searched', async () => {
    const calls: number[] = [];
    const provider = embeddedCorpus(context(calls), corpus(), undefined, [0, N], 'passage', 'corpus');
    const seen: { first: string; rows: number; callsBefore: number; callsAfter: number }[] = [];
    for await (const chunk of provider.chunks()) {
      for (let r = 0; r < chunk.ids.length; r++) {
        const row = Number(chunk.ids[r].slice(1));
        if (chunk.data[2 * r] !== row || chunk.data[2 * r + 1] !== -row) throw new Error(`row ${r} of chunk ${chunk.ids[0]} holds ${chunk.data[2 * r]}`);
      }
      const callsBefore = calls.length;
      await sleep(60); // the search's time on this chunk
      seen.push({ first: chunk.ids[0], rows: chunk.ids.length, callsBefore, callsAfter: calls.length });
    }
    expect(seen.map((c) => [c.first, c.rows])).toEqual([
      ['d0', CORPUS_CHUNK_ROWS],
      [`d${CORPUS_CHUNK_ROWS}`, CORPUS_CHUNK_ROWS],
      [`d${2 * CORPUS_CHUNK_ROWS}`, 1234],
    ]);
    // Pieces of 500 texts, each embedded once, in corpus order.
    expect(calls).toEqual(Array.from({ length: Math.ceil(N / 500) }, (_, i) => i * 500));
    // While chunk 1 was searched, chunk 2's pieces were being embedded.
    expect(seen[0].callsAfter).toBeGreaterThan(seen[0].callsBefore);
    // Never more than 5,000 rows read ahead: when chunk 1 is handed over, at most 10 pieces of chunk 2 have started.
    expect(seen[0].callsBefore).toBeLessThanOrEqual(100 + 10);
  });

  test('a search that stops after the first chunk stops the reading', async () => {
    const calls: number[] = [];
    const c = corpus();
    const provider = embeddedCorpus(context(calls), c, undefined, [0, N], 'passage', 'corpus');
    for await (const chunk of provider.chunks()) {
      expect(chunk.ids.length).toBe(CORPUS_CHUNK_ROWS);
      break;
    }
    const after = calls.length;
    const read = c.read;
    await sleep(50);
    expect(calls.length).toBe(after);
    expect(c.read).toBe(read);
    // Chunk 1's 100 pieces, and at most the 10 read ahead of the next chunk.
    expect(after).toBeGreaterThanOrEqual(100);
    expect(after).toBeLessThanOrEqual(110);
  });

  test('chunk ends: every 50,000 rows, the last chunk cut to 5,000', () => {
    expect(LAST_CHUNK_ROWS).toBe(5000);
    expect(chunkEnds(0, 100_000)).toEqual([50_000, 95_000, 100_000]);
    expect(chunkEnds(0, 101_234)).toEqual([50_000, 100_000, 101_234]);
    expect(chunkEnds(0, 3000)).toEqual([3000]);
    expect(chunkEnds(0, 7000)).toEqual([2000, 7000]);
    expect(chunkEnds(250, 100_250)).toEqual([50_250, 95_250, 100_250]);
  });

  test('a piece that straddles the last cut is split; every row once, in order, in the chunks that ends say', async () => {
    const n = 57_321;
    const calls: number[] = [];
    const provider = embeddedCorpus(context(calls), corpus(n), undefined, [0, n], 'passage', 'corpus');
    const chunks: [string, number][] = [];
    let row = 0;
    for await (const chunk of provider.chunks()) {
      for (let r = 0; r < chunk.ids.length; r++, row++) {
        if (chunk.ids[r] !== `d${row}` || chunk.data[2 * r] !== row) throw new Error(`row ${row}: ${chunk.ids[r]} holds ${chunk.data[2 * r]}`);
      }
      chunks.push([chunk.ids[0], chunk.ids.length]);
      // The dot-product row-norm bound, taken block by block as the vectors came, is the chunk's own rows' (a
      // block cut at a chunk's end counts only in its chunk).
      expect(rowNormBoundOf(chunk)).toBe(maxRowNorm(chunk.data, chunk.ids.length, 2));
    }
    expect(row).toBe(n);
    expect(chunks).toEqual([
      ['d0', 50_000],
      ['d50000', 2321],
      ['d52321', 5000],
    ]);
    // The piece [52000, 52500) is embedded as two blocks, cut at 52321.
    expect(calls.filter((c) => c >= 51_500 && c <= 53_000)).toEqual([51_500, 52_000, 52_321, 52_500, 53_000]);
  });

  test('read-ahead is bounded: 5,000 rows of pieces started before the first one is back, one more per piece handed out', async () => {
    const started: { first: number; release: () => void }[] = [];
    const ctx = contextWith((texts: string[]) => {
      return new Promise((resolve) => {
        started.push({ first: Number(texts[0]), release: () => resolve({ rows: texts.length, dim: 2, data: new Float32Array(texts.length * 2) }) });
      });
    });
    const it = embeddedCorpus(ctx, corpus(), undefined, [0, N], 'passage', 'corpus').chunks()[Symbol.asyncIterator]();
    const first = it.next();
    await sleep(20);
    expect(started.map((s) => s.first)).toEqual(Array.from({ length: 10 }, (_, i) => i * 500));
    started[0].release();
    await sleep(20);
    expect(started.length).toBe(11);
    started[1].release();
    await sleep(20);
    expect(started.length).toBe(12);
    // Release the pieces in order until chunk 1 is handed over, then stop.
    let handed = false;
    void first.then(() => (handed = true));
    for (let i = 2; !handed; await sleep(1)) if (i < started.length) started[i++].release();
    expect(started.length).toBeLessThanOrEqual(100 + 10);
    const c1 = await first;
    expect(c1.done).toBe(false);
    const ret = it.return?.(undefined);
    for (const s of started) s.release();
    await ret;
  });

  test('a failing piece: its own error comes out, after the pieces in flight finished; no piece starts after', async () => {
    const calls: number[] = [];
    let running = 0;
    const ctx = contextWith(async (texts: string[]) => {
      const first = Number(texts[0]);
      calls.push(first);
      running++;
      try {
        await sleep(first === 3000 ? 1 : 5);
        if (first === 3000) throw new MtebError('E_NETWORK', 'HTTP 400 from http://fake/v1/embeddings', { field: 'openai' });
        return { rows: texts.length, dim: 2, data: new Float32Array(texts.length * 2) };
      } finally {
        running--;
      }
    });
    const provider = embeddedCorpus(ctx, corpus(), undefined, [0, N], 'passage', 'corpus');
    const err = await (async () => {
      for await (const _ of provider.chunks()) void _;
    })().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MtebError);
    expect(err).toMatchObject({ code: 'E_NETWORK', message: 'HTTP 400 from http://fake/v1/embeddings' });
    expect(running).toBe(0);
    const n = calls.length;
    await sleep(30);
    expect(calls.length).toBe(n);
    // The failure surfaced when its piece was handed out: pieces up to 5,000 rows past it had started, not more.
    expect(Math.max(...calls)).toBeLessThanOrEqual(3000 + 5000);
  });
});
