// Shared by the hf: family benches (encoders.ts, decoders.ts): seeded random checkpoints of a given shape, a
// BEIR-like text mix, and one measurement of hf: against onnxruntime's own session.run on the same graph.
import { closeSync, copyFileSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Ort } from '../../src/native/optional-module.js';
import { planArchitecture } from '../../src/embedders/hf/arch/architectures.js';
import type { HfCheckpoint } from '../../src/embedders/hf/checkpoint.js';
import { readHfCheckpoint } from '../../src/embedders/hf/checkpoint.js';
import { createHfEmbedder } from '../../src/embedders/hf/embedder.js';
import { ensureHfGraph } from '../../src/embedders/hf/graph-cache.js';
import { HfTextEncoder, padRows } from '../../src/embedders/hf/inputs.js';
import { openHfSession } from '../../src/embedders/hf/session.js';
import { fixedOrderBatches, paddingFraction, tokenBudgetBatches } from '../../src/embedders/nvembed/batching.js';
import { readCheckpointTensors } from '../../src/embedders/nvembed/safetensors.js';
import { parseDevice } from '../../src/embedders/nvembed/session.js';
import { loadHfTokenizer } from '../../src/tokenize/hf-tokenizer.js';

export const ST_FILES = ['tokenizer.json', 'tokenizer_config.json', 'modules.json', '1_Pooling/config.json'];

/**
 * Writes model.safetensors with seeded uniform weights (norm weights 1) for the given shapes, in F32 (the small
 * bench shapes) or F16 (full-size shapes: half the disk, written a chunk at a time so a 7B tensor set never sits
 * in memory; fp16 bit patterns of uniform values in about [-0.05, 0.05]: sign, exponent 2^-8..2^-5, random mantissa).
 */
export function writeSafetensors(path: string, shapes: Map<string, number[]>, dtype: 'F32' | 'F16' = 'F32'): number {
  const width = dtype === 'F32' ? 4 : 2;
  let off = 0;
  const header: Record<string, unknown> = {};
  for (const [name, shape] of shapes) {
    const n = shape.reduce((a, b) => a * b, 1) * width;
    header[name] = { dtype, shape, data_offsets: [off, off + n] };
    off += n;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - ((json.length + 8) % 8)) % 8);
  const fd = openSync(path, 'w');
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(json.length));
  writeSync(fd, len);
  writeSync(fd, Buffer.from(json));
  let s = 1;
  for (const [name, shape] of shapes) {
    const count = shape.reduce((x, y) => x * y, 1);
    const one = /(LayerNorm|norm\d?|emb_ln)\.weight$/.test(name);
    const chunk = dtype === 'F32' ? new Float32Array(Math.min(count, 1 << 22)) : new Uint16Array(Math.min(count, 1 << 22));
    for (let done = 0; done < count; done += chunk.length) {
      const k = Math.min(chunk.length, count - done);
      for (let i = 0; i < k; i++) {
        s = (s * 1664525 + 1013904223) >>> 0;
        if (dtype === 'F32') chunk[i] = one ? 1 : ((s / 2 ** 32) * 2 - 1) * 0.05;
        else chunk[i] = one ? 0x3c00 : ((s >>> 31) << 15) | ((0x07 + ((s >>> 10) & 3)) << 10) | (s & 0x3ff);
      }
      writeSync(fd, new Uint8Array(chunk.buffer, 0, k * width));
    }
  }
  closeSync(fd);
  return off;
}

/** Deterministic BEIR-like mix: short queries, passages, some long documents (cut at max_length tokens). */
export function beirLikeTexts(n: number): string[] {
  let seed = 12345;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const WORDS = 'the of and to in is was for on with as by at it this that what which who how capital france paris berlin germany city river museum music hello world water play run walk tokyo'.split(' ');
  return Array.from({ length: n }, () => {
    const r = rand();
    const words = r < 0.4 ? 4 + Math.floor(rand() * 12) : r < 0.9 ? 30 + Math.floor(rand() * 90) : 150 + Math.floor(rand() * 150);
    return Array.from({ length: words }, () => WORDS[Math.floor(rand() * WORDS.length)]).join(' ');
  });
}

/** A checkpoint folder: the fixture's tokenizer and sentence-transformers files, this config, max_seq_length. */
export function writeCheckpointFiles(dir: string, fixture: string, config: Record<string, unknown>, maxLen: number): HfCheckpoint {
  mkdirSync(dir, { recursive: true });
  for (const f of ST_FILES) {
    mkdirSync(dirname(join(dir, f)), { recursive: true });
    copyFileSync(join('fixtures/models', fixture, f), join(dir, f));
  }
  writeFileSync(join(dir, 'sentence_bert_config.json'), JSON.stringify({ max_seq_length: maxLen }));
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
  return readHfCheckpoint(dir);
}

/**
 * tokens/s of hf: end to end (tokenize, sort, batch, run, pool) and of onnxruntime's session.run alone on the same
 * graph and the same padded batches; padding share of sorted vs input-order batches.
 */
export async function measureFamily(ort: Ort, dir: string, texts: string[], o: { maxLen: number; budget: number; padId: number; cacheDir: string; rounds?: number }): Promise<Record<string, number>> {
  const ck = readHfCheckpoint(dir);
  const built = ensureHfGraph(dir, readCheckpointTensors(dir), planArchitecture(ck, readCheckpointTensors(dir).tensors), o.cacheDir);
  const enc = new HfTextEncoder(loadHfTokenizer(dir, { llamaSpecialTokens: true }), o.maxLen);
  const encoded = texts.map((t) => enc.encode(t));
  const lengths = encoded.map((r) => r.ids.length);
  const tokens = lengths.reduce((a, b) => a + b, 0);
  const sorted = tokenBudgetBatches(lengths, o.budget, 0.75);
  const session = await openHfSession(built.modelPath, parseDevice('cpu'));
  const feeds = sorted.map((b) => {
    const t = padRows(b.indices.map((i) => encoded[i]), o.padId);
    return { input_ids: new ort.Tensor('int64', t.inputIds, [t.batch, t.seq]), attention_mask: new ort.Tensor('int64', t.attentionMask, [t.batch, t.seq]) };
  });
  const e = await createHfEmbedder(dir, { cacheDir: o.cacheDir, maxLength: o.maxLen });
  // Warm both over the whole set once (onnxruntime's arena grows to the largest batch), then alternate the two
  // measurements `rounds` times and keep each one's fastest: on a loaded machine the minimum is the least noisy.
  for (const f of feeds) await session.run(f);
  await e.embed(texts, { role: 'passage' });
  let rawMs = Infinity;
  let oursMs = Infinity;
  const raw = async () => {
    const t0 = performance.now();
    for (const f of feeds) await session.run(f);
    rawMs = Math.min(rawMs, performance.now() - t0);
  };
  const ours = async () => {
    const t0 = performance.now();
    await e.embed(texts, { role: 'passage' });
    oursMs = Math.min(oursMs, performance.now() - t0);
  };
  for (let r = 0; r < (o.rounds ?? 3); r++) {
    // alternate which goes first, so neither always runs right after the other's threads
    if (r % 2) {
      await ours();
      await raw();
    } else {
      await raw();
      await ours();
    }
  }
  await session.release();
  await e.close?.();
  return {
    texts: texts.length,
    tokens,
    ort_tokens_per_s: Math.round((tokens / rawMs) * 1000),
    hf_tokens_per_s: Math.round((tokens / oursMs) * 1000),
    ratio_hf_to_ort: Number((rawMs / oursMs).toFixed(3)),
    padding_sorted: Number(paddingFraction(sorted, lengths).toFixed(3)),
    padding_input_order: Number(paddingFraction(fixedOrderBatches(lengths, o.budget), lengths).toFixed(3)),
  };
}
