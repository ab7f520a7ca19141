// A retrieval corpus embeds its next search chunk while the search works on the current one: the chunks are the
// same rows in the same order as one after another, no more than two chunks are ever filled ahead of the search,
// and a search that stops early stops the reading (the block in flight finishes first).
import { describe, test, expect } from '@jest/globals';
import { setTimeout as sleep } from 'node:timers/promises';
import type { CorpusTextChunk, CorpusTexts } from '../../src/core/datasets.js';
import type { EvalContext } from '../../src/task-types/adapter.js';
import type { RetrievalSpec } from '../../src/task-types/spec.js';
import { CORPUS_CHUNK_ROWS, embeddedCorpus } from '../../src/task-types/retrieval/embedded-corpus.js';
import { silentProgress } from '../../src/util/progress.js';

const N = 2 * CORPUS_CHUNK_ROWS + 1234;

/** Document i's text is its number; only `chunks` is read by the provider. */
function corpus(): CorpusTexts & { read: number } {
  const c = {
    size: N,
    read: 0,
    async *chunks(rows: number, ranges: [number, number][] = [[0, N]]): AsyncGenerator<CorpusTextChunk> {
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
function context(log: number[]): EvalContext<RetrievalSpec> {
  return {
    embedder: { dimension: 2 },
    progress: silentProgress,
    async embed(texts: string[]) {
      log.push(Number(texts[0]));
      await sleep(1);
      const data = new Float32Array(texts.length * 2);
      texts.forEach((t, i) => data.set([Number(t), -Number(t)], 2 * i));
      return { rows: texts.length, dim: 2, data };
    },
  } as unknown as EvalContext<RetrievalSpec>;
}

describe('corpus embedding overlapped with the search', () => {
  test('same chunks, same rows, in order; the next chunk embeds while one is searched', async () => {
    const calls: number[] = [];
    const provider = embeddedCorpus(context(calls), corpus(), undefined, [0, N], 'passage', () => 'corpus');
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
    // Blocks of 5,000 texts: 10 per full chunk, 1 for the last; every one embedded once, in corpus order.
    expect(calls).toEqual([...Array.from({ length: 21 }, (_, i) => i * 5000).filter((x) => x < N)]);
    // While chunk 1 was searched, chunk 2's blocks were being embedded.
    expect(seen[0].callsAfter).toBeGreaterThan(seen[0].callsBefore);
    // Never more than the next chunk ahead: when chunk 1 is handed over, at most chunk 2's first block has started.
    expect(seen[0].callsBefore).toBeLessThanOrEqual(11);
  });

  test('a search that stops after the first chunk stops the reading', async () => {
    const calls: number[] = [];
    const c = corpus();
    const provider = embeddedCorpus(context(calls), c, undefined, [0, N], 'passage', () => 'corpus');
    for await (const chunk of provider.chunks()) {
      expect(chunk.ids.length).toBe(CORPUS_CHUNK_ROWS);
      break;
    }
    const after = calls.length;
    const read = c.read;
    await sleep(50);
    expect(calls.length).toBe(after);
    expect(c.read).toBe(read);
    // Chunk 1's 10 blocks, and at most the next chunk's first block or two.
    expect(after).toBeGreaterThanOrEqual(10);
    expect(after).toBeLessThan(20);
  });
});
