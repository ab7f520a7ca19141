/**
 * @jest-environment ./tests/nvembed/ort-environment.cjs
 */
import { afterAll, describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Embedder } from '../../../src/core/embedder.js';
import { createHfEmbedder, type HfEmbedderOptions } from '../../../src/embedders/hf/index.js';
import { BERT_TINY, bertGolden, cleanupTmp, maxDiff, poolingConfig, tmp, toF16Checkpoint, variant, type HfGoldenCase } from './helpers.js';

const G = bertGolden();
const cache = tmp('cache');
const open: Embedder[] = [];
const NO_PROMPTS = { query: '', passage: '', source: 'test' };
async function make(dir: string, opts: HfEmbedderOptions = {}): Promise<Embedder> {
  const e = await createHfEmbedder(dir, { cacheDir: cache, ...opts });
  open.push(e);
  return e;
}
afterAll(async () => {
  for (const e of open) await e.close?.();
  cleanupTmp();
});

const plain = G.cases.filter((c) => c.role === null);
const prompted = G.cases.filter((c) => c.role !== null);
async function embedCase(e: Embedder, c: HfGoldenCase): Promise<Float32Array> {
  return (await e.embed([c.text], { role: c.role ?? 'passage' })).data;
}

describe('hf:bert-tiny (ONNX graph, fp32) equals the float64 PyTorch reference', () => {
  test('each text alone, no prompt: mean pooling + Normalize, <= 1e-5 (incl. a text over max_seq_length and the empty text)', async () => {
    const e = await make(BERT_TINY, { prompts: NO_PROMPTS });
    expect(e.dimension).toBe(32);
    for (const c of plain) expect(maxDiff(await embedCase(e, c), c.embeddings.mean)).toBeLessThan(1e-5);
  });

  test("the checkpoint's own prompts (config_sentence_transformers.json) per role", async () => {
    const e = await make(BERT_TINY);
    expect(prompted.map((c) => c.prompt)).toEqual(['query: ', 'passage: ', 'query: ']);
    for (const c of prompted) expect(maxDiff(await embedCase(e, c), c.embeddings.mean)).toBeLessThan(1e-5);
    // the query and passage prompts really differ in the output
    const [q, p] = [await e.embed(['x'], { role: 'query' }), await e.embed(['x'], { role: 'passage' })];
    expect(maxDiff(q.data, p.data)).toBeGreaterThan(1e-3);
  });

  test('the reference itself is padding-invariant (float64 batched vs single)', () => {
    expect(G.batched_vs_single_max_abs_diff).toBeLessThan(1e-12);
  });

  test('mixed-length batches (incl. the over-limit text) give each text its alone vector, in input order', async () => {
    const e = await make(BERT_TINY, { prompts: NO_PROMPTS, tokenBudget: 64 });
    const order = [...plain].reverse();
    const m = await e.embed(order.map((c) => c.text), { role: 'passage' });
    for (const [i, c] of order.entries()) {
      const r = m.data.subarray(i * m.dim, (i + 1) * m.dim);
      expect(maxDiff(r, c.embeddings.mean)).toBeLessThan(1e-5);
      expect(maxDiff(r, await embedCase(e, c))).toBeLessThan(1e-6);
    }
    // one big batch: every row padded to the longest (24 tokens)
    const big = await make(BERT_TINY, { prompts: NO_PROMPTS, tokenBudget: 100000 });
    const m2 = await big.embed(order.map((c) => c.text), { role: 'passage' });
    expect(maxDiff(m2.data, m.data)).toBeLessThan(1e-6);
  });

  const variants: [string, string[], boolean][] = [
    ['cls', ['cls'], true],
    ['max', ['max'], true],
    ['mean_sqrt_len', ['mean_sqrt_len'], true],
    ['weightedmean', ['weightedmean'], true],
    ['lasttoken', ['lasttoken'], true],
    ['cls+mean', ['cls', 'mean'], true],
    ['mean_no_prompt', ['mean'], false],
  ];
  test.each(variants)('pooling %s, as 1_Pooling/config.json says, alone and batched', async (key, modes, includePrompt) => {
    const dir = variant(BERT_TINY, { '1_Pooling/config.json': poolingConfig(modes, includePrompt) });
    const e = await make(dir);
    expect(e.dimension).toBe(32 * modes.length);
    const cases = G.cases.filter((c) => c.role !== 'passage');
    const m = await e.embed(cases.map((c) => c.text), { role: 'query' });
    const nullRole = await make(dir, { prompts: NO_PROMPTS });
    for (const [i, c] of cases.entries()) {
      const got = c.role === 'query' ? m.data.subarray(i * m.dim, (i + 1) * m.dim) : await embedCase(nullRole, c);
      expect(maxDiff(got, c.embeddings[key])).toBeLessThan(1e-5);
    }
  });

  test('no Normalize module in modules.json: the pooled vector is not normalised', async () => {
    const modules = JSON.parse(readFileSync(join(BERT_TINY, 'modules.json'), 'utf8')).slice(0, 2);
    const e = await make(variant(BERT_TINY, { 'modules.json': modules, '2_Normalize': null }), { prompts: NO_PROMPTS });
    for (const c of plain) expect(maxDiff(await embedCase(e, c), c.embeddings.mean_unnormalized)).toBeLessThan(1e-5);
    const norm = Math.hypot(...(await embedCase(e, plain[0])));
    expect(Math.abs(norm - 1)).toBeGreaterThan(1e-3);
  });

  test('an fp16 checkpoint loads (Cast after each initializer, still read in place) and stays close to the fp32 reference', async () => {
    const dir = variant(BERT_TINY, {});
    await toF16Checkpoint(dir);
    const e = await make(dir, { prompts: NO_PROMPTS });
    for (const c of plain) {
      const v = await embedCase(e, c);
      const cos = v.reduce((s, x, j) => s + x * c.embeddings.mean[j], 0);
      expect(cos).toBeGreaterThan(0.999);
      expect(maxDiff(v, c.embeddings.mean)).toBeGreaterThan(0); // really the rounded weights
    }
  });

  test('fingerprint: prompts and pooling are part of the cache identity', async () => {
    const a = await make(BERT_TINY);
    const b = await make(BERT_TINY, { prompts: NO_PROMPTS });
    const c = await make(variant(BERT_TINY, { '1_Pooling/config.json': poolingConfig(['cls']) }));
    expect(new Set([a.fingerprint, b.fingerprint, c.fingerprint]).size).toBe(3);
    expect(a.fingerprint).toMatch(/^hf:[0-9a-f]{16}:L24:[0-9a-f]{8}$/);
    expect(a.meta?.()).toMatchObject({ name: 'mteb-ts/bert-tiny', embed_dim: 32, max_tokens: 24, similarity_fn_name: 'cosine' });
  });
});

describe('a checkpoint that ships onnx/model.onnx', () => {
  test('runs the shipped graph with the pooling from its own files (equal to the reference), unless graph=built', async () => {
    // The export here is our own builder's graph for bert-tiny, saved as onnx/model.onnx with its weights beside it
    // (optimum's layout); the top-level safetensors is removed, so only the shipped graph can run.
    const { readCheckpointTensors } = await import('../../../src/embedders/nvembed/safetensors.js');
    const { planArchitecture } = await import('../../../src/embedders/hf/arch/architectures.js');
    const { readHfCheckpoint } = await import('../../../src/embedders/hf/checkpoint.js');
    const { copyFileSync, mkdirSync, rmSync, writeFileSync } = await import('node:fs');
    const dir = variant(BERT_TINY, {});
    const built = planArchitecture(readHfCheckpoint(dir), readCheckpointTensors(dir).tensors).build({});
    mkdirSync(join(dir, 'onnx'));
    writeFileSync(join(dir, 'onnx', 'model.onnx'), built.bytes);
    copyFileSync(join(dir, 'model.safetensors'), join(dir, 'onnx', 'model.safetensors'));
    rmSync(join(dir, 'model.safetensors'));
    const e = await make(dir);
    expect(e.meta?.().loader).toMatch(/\(onnx\/model\.onnx, cpu, pooling mean \+ Normalize/);
    for (const c of prompted) expect(maxDiff(await embedCase(e, c), c.embeddings.mean)).toBeLessThan(1e-5);
    await expect(make(dir, { graph: 'built' })).rejects.toThrow(/neither model.safetensors.index.json nor model.safetensors/);
    await expect(make(BERT_TINY, { graph: 'shipped' })).rejects.toThrow(/graph=shipped but the checkpoint has no onnx\/model.onnx/);
  });
});

describe('hf:org/name from the Hugging Face cache', () => {
  test('resolves the refs/main snapshot, names the model by its hub id and takes the registry prompts for it', async () => {
    const { cpSync, mkdirSync, writeFileSync } = await import('node:fs');
    const { resolveEmbedder } = await import('../../../src/embedders/resolve.js');
    const hub = tmp('hub');
    const repo = join(hub, 'models--intfloat--e5-small-v2');
    const snap = join(repo, 'snapshots', '0123abc');
    cpSync(BERT_TINY, snap, { recursive: true });
    // as the real e5 checkpoint: no prompts of its own, so mteb's registry entry ("query: " / "passage: ") applies
    writeFileSync(join(snap, 'config_sentence_transformers.json'), '{"prompts": {}, "default_prompt_name": null}');
    mkdirSync(join(repo, 'refs'));
    writeFileSync(join(repo, 'refs', 'main'), '0123abc');
    const saved = process.env.HF_HUB_CACHE;
    process.env.HF_HUB_CACHE = hub;
    try {
      const e = await resolveEmbedder('hf:intfloat/e5-small-v2', { cacheDir: cache });
      open.push(e);
      expect([e.name, e.revision]).toEqual(['intfloat/e5-small-v2', '0123abc']);
      expect(e.meta?.().loader).toMatch(/prompts from registry \(intfloat\/e5-small-v2: https:\/\/github.com\/embeddings-benchmark\/mteb\/blob\/main\/mteb\/models\/e5_models.py\)/);
      for (const c of prompted) expect(maxDiff(await embedCase(e, c), c.embeddings.mean)).toBeLessThan(1e-5);
    } finally {
      if (saved === undefined) delete process.env.HF_HUB_CACHE;
      else process.env.HF_HUB_CACHE = saved;
    }
  });
});

