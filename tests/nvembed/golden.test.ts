/**
 * @jest-environment ./tests/nvembed/ort-environment.cjs
 */
import { describe, expect, test, afterAll } from '@jest/globals';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Embedder } from '../../src/core/embedder.js';
import { createNvEmbedEmbedder } from '../../src/embedders/nvembed/embedder.js';
import { ensureOnnx } from '../../src/embedders/nvembed/build-onnx.js';
import { ortBinDir } from '../../src/embedders/nvembed/session.js';
import { NvEmbedEncoder } from '../../src/embedders/nvembed/inputs.js';
import { loadHfTokenizer } from '../../src/tokenize/hf-tokenizer.js';
import { cleanupTmp, golden, tinyAs, tmp, TINY, type GoldenCase } from './helpers.js';

const G = golden();
const cache = tmp('cache');
const open: Embedder[] = [];
async function make(dir: string, opts: Parameters<typeof createNvEmbedEmbedder>[1] = {}): Promise<Embedder> {
  const e = await createNvEmbedEmbedder(dir, { cacheDir: cache, ...opts });
  open.push(e);
  return e;
}
afterAll(async () => {
  for (const e of open) await e.close?.();
  cleanupTmp();
});

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let w = 0;
  for (let i = 0; i < a.length; i++) w = Math.max(w, Math.abs(a[i] - b[i]));
  return w;
}
const byLength = (ml: number) => G.cases.filter((c) => c.max_length === ml);
async function embedOne(e: Embedder, c: GoldenCase): Promise<Float32Array> {
  return (await e.embed([c.text], { role: c.instruction ? 'query' : 'passage', instruction: c.instruction || undefined })).data;
}

describe('NV-Embed tokenization rules vs the Python reference', () => {
  const tok = loadHfTokenizer(TINY);
  test.each(G.cases.map((c) => [c.name, c] as const))('%s: ids and pool mask', (_n, c) => {
    const r = new NvEmbedEncoder(tok, c.max_length).encode(c.text, c.instruction);
    expect(r.ids).toEqual(c.input_ids);
    expect(c.input_ids.map((_, j) => (j < r.poolStart ? 0 : 1))).toEqual(c.pool_mask);
  });
  test('template facts: BOS first, EOS last unless truncated, instruction masked', () => {
    const q = G.cases.find((c) => c.name === 'query-instr')!;
    expect(q.input_ids[0]).toBe(1);
    expect(q.input_ids[q.input_ids.length - 1]).toBe(2);
    expect(q.pool_mask.indexOf(1)).toBe(18);
    const t = G.cases.find((c) => c.name === 'long-passage-trunc')!;
    expect(t.input_ids).toHaveLength(48);
    expect(t.input_ids[47]).not.toBe(2);
    expect(G.cases.find((c) => c.name === 'empty-passage')!.input_ids).toEqual([1, 2]);
  });
});

describe('ONNX graph (fp32) equals the float64 PyTorch reference on the tiny checkpoint', () => {
  for (const ml of [512, 48, 40]) {
    test(`each text alone, max_length ${ml}`, async () => {
      const e = await make(TINY, { maxLength: ml });
      for (const c of byLength(ml)) expect(maxDiff(await embedOne(e, c), c.embedding)).toBeLessThan(1e-5);
    });
  }

  test('the reference itself is padding-invariant (float64 batched vs single)', () => {
    expect(G.batched_vs_single_max_abs_diff).toBeLessThan(1e-12);
  });

  test('a padded batch gives the same vectors as each text alone, in input order', async () => {
    const e = await make(TINY, { maxLength: 512 });
    const cases = byLength(512).filter((c) => c.instruction === '');
    const m = await e.embed(cases.map((c) => c.text), { role: 'passage' });
    const alone = await Promise.all(cases.map((c) => embedOne(e, c)));
    cases.forEach((c, i) => {
      const r = m.data.subarray(i * m.dim, (i + 1) * m.dim);
      expect(maxDiff(r, c.embedding)).toBeLessThan(1e-5);
      expect(maxDiff(r, alone[i])).toBeLessThan(1e-6);
    });
  });

  test('a small token budget (many batches) keeps input order', async () => {
    const e = await make(TINY, { maxLength: 512, tokenBudget: 40 });
    const cases = byLength(512).filter((c) => c.instruction !== '');
    const instr = 'Given a question, retrieve passages that answer the question';
    const only = cases.filter((c) => c.instruction === instr);
    const m = await e.embed(only.map((c) => c.text), { role: 'query', instruction: instr });
    expect(m.rows).toBe(only.length);
    only.forEach((c, i) => expect(maxDiff(m.data.subarray(i * m.dim, (i + 1) * m.dim), c.embedding)).toBeLessThan(1e-5));
  });

  test('progress reports and empty input', async () => {
    const e = await make(TINY, { maxLength: 512, tokenBudget: 20 });
    const seen: number[] = [];
    const m = await e.embed(['a', 'bb bb', 'ccc ccc ccc'], { role: 'passage', onProgress: (d) => seen.push(d) });
    expect(seen[seen.length - 1]).toBe(3);
    expect(m.rows).toBe(3);
    expect((await e.embed([], { role: 'passage' })).rows).toBe(0);
  });

  test('bad options are user errors naming the field', async () => {
    await expect(make(TINY, { dtype: 'int8' as any })).rejects.toMatchObject({ code: 'E_MODEL_SPEC', location: { field: 'dtype' } });
    await expect(make(TINY, { device: 'tpu' })).rejects.toMatchObject({ code: 'E_USAGE', location: { field: 'device' } });
    await expect(make(TINY, { maxLength: 40000 })).rejects.toMatchObject({ code: 'E_USAGE', location: { field: 'max_length' } });
    await expect(make('/nonexistent/ckpt')).rejects.toMatchObject({ code: 'E_FILE_MISSING' });
    if (!existsSync(join(ortBinDir(), 'libonnxruntime_providers_cuda.so'))) {
      await expect(make(TINY, { device: 'cuda:0' })).rejects.toMatchObject({ code: 'E_PROVIDER_UNAVAILABLE', location: { field: 'device' } });
    }
  });

  test('instruction that fills max_length is a user error, not NaN', async () => {
    const e = await make(TINY, { maxLength: 8 });
    await expect(e.embed(['x'], { role: 'query', instruction: 'a long instruction text here' })).rejects.toMatchObject({ code: 'E_USAGE' });
  });
});

describe('checkpoint dtypes and cache', () => {
  test('fp32 checkpoint (same values) gives the same embeddings', async () => {
    const e = await make(tinyAs('F32'), { maxLength: 512 });
    for (const c of byLength(512).slice(0, 4)) expect(maxDiff(await embedOne(e, c), c.embedding)).toBeLessThan(1e-5);
  });

  test('bf16 checkpoint loads (Cast from bf16) and stays close', async () => {
    const e = await make(tinyAs('BF16'), { maxLength: 512 });
    for (const c of byLength(512).slice(0, 4)) {
      const v = await embedOne(e, c);
      const cos = v.reduce((s, x, i) => s + x * c.embedding[i], 0);
      expect(cos).toBeGreaterThan(0.98);
      expect(cos).toBeLessThan(1 - 1e-7);
    }
  });

  test('fp16 graph runs (CPU) and stays within fp16 error', async () => {
    const e = await make(TINY, { maxLength: 512, dtype: 'fp16' });
    for (const c of byLength(512).slice(0, 4)) expect(maxDiff(await embedOne(e, c), c.embedding)).toBeLessThan(3e-3);
  });

  test('fused MultiHeadAttention graph (com.microsoft, right-padding lengths) equals the reference, batched', async () => {
    const e = await make(TINY, { maxLength: 512, attention: 'mha' });
    const cases = byLength(512).filter((c) => c.instruction === '');
    const m = await e.embed(cases.map((c) => c.text), { role: 'passage' });
    cases.forEach((c, i) => expect(maxDiff(m.data.subarray(i * m.dim, (i + 1) * m.dim), c.embedding)).toBeLessThan(1e-5));
    const q = byLength(512).find((c) => c.name === 'query-instr')!;
    expect(maxDiff(await embedOne(e, q), q.embedding)).toBeLessThan(1e-5);
    expect(e.meta?.().loader).toContain('mha attention');
  });

  test('shards behind symlinks load in place (cwd-relative external data)', async () => {
    const dir = tmp('symlink-cache');
    const e = await createNvEmbedEmbedder(TINY, { cacheDir: dir, maxLength: 512, link: 'symlink' });
    open.push(e);
    const c = byLength(512)[0];
    expect(maxDiff(await embedOne(e, c), c.embedding)).toBeLessThan(1e-5);
    const again = ensureOnnx(TINY, { cacheDir: dir });
    expect(again.linkKind).toBe('symlink');
  });

  test('second use reuses the cached graph (keyed by fingerprint)', () => {
    const a = ensureOnnx(TINY, { cacheDir: cache });
    const t = statSync(a.modelPath).mtimeMs;
    const b = ensureOnnx(TINY, { cacheDir: cache });
    expect(b.modelPath).toBe(a.modelPath);
    expect(statSync(b.modelPath).mtimeMs).toBe(t);
    expect(a.linkKind).toBe('hardlink');
    expect(b.external.map((x) => x.file)).toEqual(['model-00001-of-00002.safetensors', 'model-00002-of-00002.safetensors']);
    expect(a.modelPath).toBe(join(cache, `${a.fingerprint}-fp32`, 'model.onnx'));
  });
});
