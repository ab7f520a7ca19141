/**
 * @jest-environment ./tests/nvembed/ort-environment.cjs
 */
import { afterAll, describe, expect, test } from '@jest/globals';
import type { Embedder } from '../../../src/core/embedder.js';
import { createHfEmbedder } from '../../../src/embedders/hf/index.js';
import { HfTextEncoder } from '../../../src/embedders/hf/inputs.js';
import { loadHfTokenizer } from '../../../src/tokenize/hf-tokenizer.js';
import { cleanupTmp, maxDiff, tmp, XLMR_TINY, xlmrGolden } from './helpers.js';

const G = xlmrGolden();
const cache = tmp('cache');
const open: Embedder[] = [];
afterAll(async () => {
  for (const e of open) await e.close?.();
  cleanupTmp();
});
const E5 = { query: 'query: ', passage: 'passage: ', source: 'test' };

describe('XLM-RoBERTa (Unigram tokenizer, positions offset by padding_idx + 1)', () => {
  const tok = loadHfTokenizer(XLMR_TINY);
  test.each(G.cases.map((c) => [c.name, c] as const))('%s: ids equal the independent Unigram (NFKC, Metaspace, Viterbi, fused <unk>)', (_n, c) => {
    expect(tok.encodePlain(c.text)).toEqual(c.plain_ids);
    const r = new HfTextEncoder(tok, G.max_seq_length).encode(c.text, c.prompt);
    expect(r.ids).toEqual(c.input_ids);
    expect(r.promptLength).toBe(c.prompt_length);
  });

  test('<s> ... </s> kept on the over-limit text; pads are id 1', () => {
    const c = G.cases.find((x) => x.name === 'over-limit')!;
    expect(c.input_ids).toHaveLength(24);
    expect([c.input_ids[0], c.input_ids[23]]).toEqual([0, 2]);
  });

  test('each text alone and all in mixed-length batches equal the float64 reference (<= 1e-5)', async () => {
    const e = await createHfEmbedder(XLMR_TINY, { cacheDir: cache, prompts: E5, tokenBudget: 60 });
    open.push(e);
    const prompted = G.cases.filter((c) => c.role !== null);
    expect(prompted).toHaveLength(2);
    for (const c of prompted) expect(maxDiff((await e.embed([c.text], { role: c.role! })).data, c.embeddings.mean)).toBeLessThan(1e-5);
    // the checkpoint ships no prompts (as multilingual-e5): without an override none is applied
    const bare = await createHfEmbedder(XLMR_TINY, { cacheDir: cache, tokenBudget: 60 });
    open.push(bare);
    const plain = G.cases.filter((c) => c.role === null);
    const m = await bare.embed(plain.map((c) => c.text), { role: 'query' });
    plain.forEach((c, i) => expect(maxDiff(m.data.subarray(i * 32, (i + 1) * 32), c.embeddings.mean)).toBeLessThan(1e-5));
    for (const c of plain) expect(maxDiff((await bare.embed([c.text], { role: 'query' })).data, c.embeddings.mean)).toBeLessThan(1e-5);
  });
});
