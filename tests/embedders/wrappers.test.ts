/**
 * The embedder conformance suite on every wrapper a run puts around a model: the validating layer, the
 * embedding cache (cold, and warm from another process's files), and the `--model-revision` wrapper — each
 * must be indistinguishable from the model it wraps, which the last block checks value for value.
 */
import { afterAll, describe, expect, test } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Embedder } from '../../src/core/embedder.js';
import { wrapEmbedder } from '../../src/core/wrap-embedder.js';
import { EmbeddingCache } from '../../src/cache/embedding-cache.js';
import { HashEmbedder } from '../../src/embedders/baselines/hash-embedder.js';
import { validating } from '../../src/embedders/validating-embedder.js';
import { StubEmbedder } from '../cache/stub-embedder.js';
import { runEmbedderConformance } from './conformance.js';

const root = mkdtempSync(path.join(tmpdir(), 'mteb-wrappers-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let dirs = 0;
const freshDir = () => path.join(root, `cache-${dirs++}`);

const TEXTS = ['What is the capital of France?', 'Paris is the capital of France.', 'Ünïcödé 🚀', '', 'a', 'fox '.repeat(50)];

runEmbedderConformance('validating(hash:128)', async () => validating(new HashEmbedder(128)));
runEmbedderConformance('cache(stub), cold', async () => new EmbeddingCache(freshDir(), { chunkRows: 4 }).wrap(new StubEmbedder(16)));
runEmbedderConformance('cache(stub), warm from disk', async () => {
  const dir = freshDir();
  const writer = new EmbeddingCache(dir, { chunkRows: 4 }).wrap(new StubEmbedder(16));
  for (const role of ['query', 'passage'] as const) await writer.embed(TEXTS, { role });
  await writer.embed(TEXTS, { role: 'query', instruction: 'Find the answer' });
  await writer.close();
  // A model that must never be called: every text of the suite is answered from the chunk files.
  const refusing: Embedder = { name: 'test/stub', revision: 'r1', dimension: 16, embed: async () => Promise.reject(new Error('cache miss')) };
  return new EmbeddingCache(dir).wrap(refusing);
}, { texts: TEXTS });
runEmbedderConformance('validating(cache(hash:64))', async () => validating(new EmbeddingCache(freshDir()).wrap(new HashEmbedder(64))));
runEmbedderConformance('revision wrapper (--model-revision)', async () => {
  const inner = new HashEmbedder(32);
  return wrapEmbedder(inner, { revision: 'v2-test' });
});

describe('wrappers give exactly the wrapped model\'s vectors', () => {
  const opts = { role: 'query' as const, instruction: 'Find the answer' };
  test('validating, cache (cold then warm) and revision wrappers return the inner vectors bit for bit', async () => {
    const direct = await new StubEmbedder(16).embed(TEXTS, opts);
    const cached = new EmbeddingCache(freshDir(), { chunkRows: 3 }).wrap(new StubEmbedder(16));
    const cold = await cached.embed(TEXTS, opts);
    const warm = await cached.embed(TEXTS, opts);
    const checked = await validating(new StubEmbedder(16)).embed(TEXTS, opts);
    const revised = wrapEmbedder(new StubEmbedder(16), { revision: 'x' });
    for (const m of [cold, warm, checked, await revised.embed(TEXTS, opts)]) expect(m).toEqual(direct);
    expect(revised.revision).toBe('x');
    await cached.close();
  });

  test('the validating wrapper refuses a NaN the inner model returns, naming the text', async () => {
    const bad: Embedder = {
      name: 'test/nan',
      revision: 'r',
      dimension: 2,
      embed: async (texts) => ({ rows: texts.length, dim: 2, data: Float32Array.from(texts.flatMap((_, i) => (i === 1 ? [0, NaN] : [1, 0]))) }),
    };
    await expect(validating(bad).embed(['ok', 'broken'], { role: 'passage' })).rejects.toMatchObject({
      code: 'E_EMBEDDING_NAN',
      message: 'model test/nan returned NaN in the vector of text #1 "broken"',
    });
  });
});
