// CPU throughput of the `hf:` decoder families (Mistral, Qwen2) on reduced-width checkpoints: a 7B shape (32/28
// layers x 4096/3584 wide, 14336/18944 MLP) in fp32 is 28 GiB, too big for this machine, so the layers keep the real
// head_dim (128), GQA grouping (4 query heads per KV head) and MLP ratios (3.5x Mistral, 5.3x Qwen2) at a reduced
// width and depth (default 8 layers x 512 wide); Mistral keeps its 32000-token vocabulary, Qwen2 uses the tiny
// fixture's byte-level BPE (419 tokens). Random weights; the tiny fixtures' tokenizer and sentence-transformers files.
//   * tokens/s of hf: end to end as a ratio to onnxruntime's own session.run on the same graph and padded batches;
//   * causal vs bidirectional (Qwen2 with "is_causal": false) on the same weights.
//   node bin/run-ts.js bench/models/decoders.ts [--texts 64] [--layers 8] [--hidden 512] [--json out.json]
// CPU timings on a shared machine are noisy: compare only numbers measured in one run.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readDecoderConfig } from '../../src/embedders/hf/arch/decoder-config.js';
import { decoderTensorShapes } from '../../src/embedders/hf/arch/decoder-graph.js';
import { loadOnnxruntime } from '../../src/native/optional-module.js';
import { beirLikeTexts, measureFamily, writeCheckpointFiles, writeSafetensors } from './synthetic.js';

const arg = (k: string, d: string) => {
  const i = process.argv.indexOf(`--${k}`);
  return i > 0 ? process.argv[i + 1] : d;
};
const N = Number(arg('texts', '64'));
const LAYERS = Number(arg('layers', '8'));
const H = Number(arg('hidden', '512'));
const HEADS = H / 128;
const KV = Math.max(1, HEADS / 4);
const BUDGET = 8192;
const MAXLEN = 256;

const base = { hidden_size: H, num_hidden_layers: LAYERS, num_attention_heads: HEADS, num_key_value_heads: KV, hidden_act: 'silu', max_position_embeddings: 32768 };
const FAMILIES: { name: string; fixture: string; qkvBias: boolean; windowNeedsFlag: boolean; config: Record<string, unknown> }[] = [
  { name: 'mistral causal', fixture: 'e5-mistral-tiny', qkvBias: false, windowNeedsFlag: false, config: { ...base, model_type: 'mistral', architectures: ['MistralModel'], intermediate_size: Math.round(3.5 * H), vocab_size: 32000, rms_norm_eps: 1e-5, rope_theta: 10000, sliding_window: 4096, pad_token_id: 2 } },
  { name: 'qwen2 causal', fixture: 'gte-qwen2-tiny', qkvBias: true, windowNeedsFlag: true, config: { ...base, model_type: 'qwen2', architectures: ['Qwen2Model'], intermediate_size: Math.round((18944 / 3584) * H), vocab_size: 419, rms_norm_eps: 1e-6, rope_theta: 1e6, eos_token_id: 416 } },
  { name: 'qwen2 bidirectional', fixture: 'gte-qwen2-tiny', qkvBias: true, windowNeedsFlag: true, config: { ...base, model_type: 'qwen2', architectures: ['Qwen2Model'], intermediate_size: Math.round((18944 / 3584) * H), vocab_size: 419, rms_norm_eps: 1e-6, rope_theta: 1e6, eos_token_id: 416, is_causal: false } },
];
const texts = beirLikeTexts(N);

const ort = await loadOnnxruntime('bench');
const root = mkdtempSync(join(tmpdir(), 'mteb-ts-bench-decoders-'));
const rows: Record<string, unknown>[] = [];
try {
  for (const fam of FAMILIES) {
    const dir = join(root, fam.name.replace(' ', '-'));
    const ck = writeCheckpointFiles(dir, fam.fixture, fam.config, MAXLEN);
    const c = readDecoderConfig(ck, fam);
    const bytes = writeSafetensors(join(dir, 'model.safetensors'), decoderTensorShapes(c, '', fam.qkvBias));
    const m = await measureFamily(ort, dir, texts, { maxLen: MAXLEN, budget: BUDGET, padId: c.padTokenId, cacheDir: join(root, 'cache') });
    const row = { family: fam.name, params_mb: Math.round(bytes / 2 ** 20), ...m };
    rows.push(row);
    console.log(JSON.stringify(row));
    rmSync(dir, { recursive: true, force: true });
  }
} finally {
  rmSync(root, { recursive: true, force: true });
}
const out = arg('json', '');
if (out) writeFileSync(out, JSON.stringify({ layers: LAYERS, hidden: H, head_dim: 128, max_length: MAXLEN, token_budget: BUDGET, rows }, null, 2) + '\n');
