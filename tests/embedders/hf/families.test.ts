/**
 * @jest-environment ./tests/nvembed/ort-environment.cjs
 */
import { afterAll, describe, expect, test } from '@jest/globals';
import type { Embedder } from '../../../src/core/embedder.js';
import { createHfEmbedder } from '../../../src/embedders/hf/index.js';
import { HfTextEncoder } from '../../../src/embedders/hf/inputs.js';
import { loadHfTokenizer } from '../../../src/tokenize/hf-tokenizer.js';
import { cleanupTmp, maxDiff, tinyModel, tmp } from './helpers.js';

const cache = tmp('cache');
const open: Embedder[] = [];
afterAll(async () => {
  for (const e of open) await e.close?.();
  cleanupTmp();
});
// The prompts the goldens used: e5's for checkpoints that ship none (as multilingual-e5 / all-mpnet-base-v2), nomic's own
const E5 = { query: 'query: ', passage: 'passage: ', source: 'test' };
const NOMIC = { query: 'search_query: ', passage: 'search_document: ', source: 'test' };

interface Facts {
  first: number;
  last: number;
  pad: string;
  padId: number;
  prompts: typeof E5;
}
/** Per family: what its tokenizer and positions must show (beyond equality with the golden). */
const FAMILIES: [string, string, Facts][] = [
  ['xlmr-tiny', 'XLM-RoBERTa (Unigram tokenizer, positions offset by padding_idx + 1)', { first: 0, last: 2, pad: '<pad>', padId: 1, prompts: E5 }],
  ['mpnet-tiny', 'MPNet (relative position bias, RobertaProcessing around WordPiece, positions offset)', { first: 0, last: 2, pad: '<pad>', padId: 1, prompts: E5 }],
  ['nomic-tiny', 'NomicBert (rotary, fused QKV, SwiGLU, vocab padded to 64, n_inner rounded to 256)', { first: 2, last: 3, pad: '[PAD]', padId: 0, prompts: NOMIC }],
];

describe.each(FAMILIES)('%s: %s', (name, _what, facts) => {
  const { dir, golden: G } = tinyModel(name);
  const tok = loadHfTokenizer(dir);
  test.each(G.cases.map((c) => [c.name, c] as const))('%s: ids equal the independent Python tokenizer', (_n, c) => {
    expect(tok.encodePlain(c.text)).toEqual(c.plain_ids);
    const r = new HfTextEncoder(tok, G.max_seq_length).encode(c.text, c.prompt);
    expect(r.ids).toEqual(c.input_ids);
    expect(r.promptLength).toBe(c.prompt_length);
  });

  test('special tokens kept on the over-limit text', () => {
    const c = G.cases.find((x) => x.name === 'over-limit')!;
    expect(c.input_ids).toHaveLength(G.max_seq_length);
    expect([c.input_ids[0], c.input_ids[G.max_seq_length - 1]]).toEqual([facts.first, facts.last]);
    expect(tok.tokenId(facts.pad)).toBe(facts.padId);
  });

  test('each text alone and all in mixed-length batches equal the float64 reference (<= 1e-5)', async () => {
    const e = await createHfEmbedder(dir, { cacheDir: cache, prompts: facts.prompts, tokenBudget: 60 });
    const bare = await createHfEmbedder(dir, { cacheDir: cache, tokenBudget: 60, prompts: { query: '', passage: '', source: 'test' } });
    open.push(e, bare);
    const prompted = G.cases.filter((c) => c.role !== null);
    expect(prompted.length).toBeGreaterThanOrEqual(2);
    for (const c of prompted) expect(maxDiff((await e.embed([c.text], { role: c.role! })).data, c.embeddings.mean)).toBeLessThan(1e-5);
    const plain = G.cases.filter((c) => c.role === null);
    const m = await bare.embed(plain.map((c) => c.text), { role: 'query' });
    plain.forEach((c, i) => expect(maxDiff(m.data.subarray(i * 32, (i + 1) * 32), c.embeddings.mean)).toBeLessThan(1e-5));
    for (const c of plain) expect(maxDiff((await bare.embed([c.text], { role: 'query' })).data, c.embeddings.mean)).toBeLessThan(1e-5);
  });
});
