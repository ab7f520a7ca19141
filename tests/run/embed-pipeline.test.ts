// embedTexts keeps up to `embedder.maxInFlight` batches in flight: the matrix is the same bytes as one batch at a
// time whatever order they finish in, never more than the limit run at once, and a failure in flight is the
// embedder's own typed error with the vectors already computed kept by the cache.
import { describe, test, expect } from '@jest/globals';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { EmbedOptions, Embedder } from '../../src/core/embedder.js';
import { MtebError } from '../../src/core/errors.js';
import { EmbeddingCache } from '../../src/cache/embedding-cache.js';
import { embedTexts } from '../../src/run/embed-texts.js';
import { mulberry32 } from '../../src/util/mulberry32.js';
import { silentProgress, type ProgressSink } from '../../src/util/progress.js';
import { StubEmbedder, stubVector } from '../cache/stub-embedder.js';

/** The stub model behind random delays (0-6 ms per call), counting the calls running at once. */
class DelayedEmbedder implements Embedder {
  readonly name = 'test/stub';
  readonly revision = 'r1';
  readonly dimension = 8;
  running = 0;
  peak = 0;
  calls = 0;
  finished = 0;
  /** Calls started when the failing one threw. */
  callsAtFailure = 0;
  private readonly rnd = mulberry32(7);
  private readonly stub = new StubEmbedder(8);
  constructor(
    readonly maxInFlight: number | undefined,
    private readonly failOnCall?: number,
  ) {}
  async embed(texts: string[], options: EmbedOptions) {
    const call = ++this.calls;
    this.running++;
    this.peak = Math.max(this.peak, this.running);
    try {
      await sleep(Math.floor(this.rnd() * 7));
      if (call === this.failOnCall) this.callsAtFailure = this.calls;
      if (call === this.failOnCall) throw new MtebError('E_NETWORK', `HTTP 400 from http://fake/v1/embeddings: call ${call}`, { field: 'openai' });
      const m = await this.stub.embed(texts, options);
      this.finished++;
      return m;
    } finally {
      this.running--;
    }
  }
}

// 500 texts, a fifth of them repeats of earlier ones (embedded once, copied to every position).
const texts = Array.from({ length: 500 }, (_, i) => (i % 5 === 4 ? `text ${(i * 37) % i}` : `text ${i}`));

function expected(): Float32Array {
  const out = new Float32Array(texts.length * 8);
  texts.forEach((t, i) => out.set(stubVector(t, { role: 'passage' }, 8), i * 8));
  return out;
}

const embedAll = (e: Embedder, progress: ProgressSink = silentProgress) => embedTexts(e, texts, { role: 'passage', batchSize: 7, progress, label: 'texts' });

describe('embedTexts with several batches in flight', () => {
  test('the same bytes as one batch at a time, whatever order the batches finish in', async () => {
    const one = new DelayedEmbedder(undefined);
    const four = new DelayedEmbedder(4);
    const a = await embedAll(one);
    const b = await embedAll(four);
    expect(Buffer.from(b.data.buffer).equals(Buffer.from(a.data.buffer))).toBe(true);
    expect(Buffer.from(a.data.buffer).equals(Buffer.from(expected().buffer))).toBe(true);
    expect([b.rows, b.dim]).toEqual([500, 8]);
    // 400 distinct texts in batches of 7: 58 calls either way.
    expect([one.calls, four.calls]).toEqual([58, 58]);
    expect(one.peak).toBe(1);
  });

  test('back-pressure: never more batches running than maxInFlight, and that many are used', async () => {
    for (const limit of [2, 5]) {
      const e = new DelayedEmbedder(limit);
      await embedAll(e);
      expect(e.peak).toBe(limit);
    }
  });

  test('progress counts every distinct text once, ending at the total', async () => {
    const ticks: number[] = [];
    let total = 0;
    await embedAll(new DelayedEmbedder(4), { start: (_l, n) => (total = n), tick: (d) => ticks.push(d), end() {} });
    expect(total).toBe(400);
    expect(ticks.length).toBe(58);
    expect(ticks[ticks.length - 1]).toBe(400);
    expect(ticks.every((d, i) => i === 0 || d > ticks[i - 1])).toBe(true);
  });

  test('an error in flight is the embedder typed error; the batches in flight finish, none start after', async () => {
    const e = new DelayedEmbedder(4, 10);
    const err = await embedAll(e).catch((x: unknown) => x);
    expect(err).toBeInstanceOf(MtebError);
    expect(err).toMatchObject({ code: 'E_NETWORK', message: 'HTTP 400 from http://fake/v1/embeddings: call 10' });
    expect(e.running).toBe(0);
    // No batch starts after the failure; every other one started finished before the error came out.
    const calls = e.calls;
    expect(calls).toBe(e.callsAtFailure);
    expect(calls).toBeGreaterThanOrEqual(10);
    expect(e.finished).toBe(calls - 1);
    await sleep(20);
    expect(e.calls).toBe(calls);
  });

  test('through the embedding cache: vectors finished before a failure are kept, chunk files stay whole', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'pipeline-cache-'));
    const cache = new EmbeddingCache(dir, { chunkRows: 16 });
    const failing = new DelayedEmbedder(4, 20);
    const err = await embedAll(cache.wrap(failing)).catch((x: unknown) => x);
    expect(err).toMatchObject({ code: 'E_NETWORK' });
    await cache.flush();
    const kept = failing.finished * 7;
    expect(cache.stats().misses).toBe(kept);
    // Only renamed chunk files and their indexes: no temporary file of a write cut short.
    const ns = readdirSync(dir).filter((f) => f.startsWith('ns-'));
    expect(ns.length).toBe(1);
    expect(readdirSync(path.join(dir, ns[0])).filter((f) => f !== 'namespace.json' && !/\.(arrow|idx)$/.test(f))).toEqual([]);

    // A new process: what was kept is answered from disk, the rest embedded, and the result is the full matrix.
    const again = new EmbeddingCache(dir, { chunkRows: 16 });
    const inner = new DelayedEmbedder(4);
    const m = await embedAll(again.wrap(inner));
    expect(Buffer.from(m.data.buffer).equals(Buffer.from(expected().buffer))).toBe(true);
    expect(again.stats().hits).toBe(kept);
    expect(again.stats().misses).toBe(400 - kept);
    await again.flush();
  });
});

describe('embedTexts calls that overlap on one embedder', () => {
  test('share its maxInFlight slots: never more running at once, each call the same bytes as alone', async () => {
    const e = new DelayedEmbedder(3);
    const parts = [texts.slice(0, 200), texts.slice(200, 350), texts.slice(350)];
    const got = await Promise.all(parts.map((p, i) => embedTexts(e, p, { role: 'passage', batchSize: 7, progress: silentProgress, label: `part ${i}` })));
    expect(e.peak).toBe(3);
    const whole = Buffer.concat(got.map((m) => Buffer.from(m.data.buffer)));
    expect(whole.equals(Buffer.from(expected().buffer))).toBe(true);
  });

  test('an earlier call goes first: a later call only takes the slots the earlier one leaves idle', async () => {
    const order: string[] = [];
    const e: Embedder = {
      name: 'test/order',
      revision: 'r',
      dimension: 1,
      maxInFlight: 2,
      async embed(batch: string[]) {
        order.push(batch[0]);
        await sleep(2);
        return { rows: batch.length, dim: 1, data: new Float32Array(batch.length) };
      },
    };
    const a = Array.from({ length: 6 }, (_, i) => `a${i}`);
    const b = Array.from({ length: 6 }, (_, i) => `b${i}`);
    await Promise.all([a, b].map((t) => embedTexts(e, t, { role: 'passage', batchSize: 1, progress: silentProgress, label: 't' })));
    expect(order).toEqual([...a, ...b]);
  });
});
