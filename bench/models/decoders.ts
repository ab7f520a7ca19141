// CPU throughput of the `hf:` decoder families (Mistral, Qwen2) on reduced-width checkpoints: a 7B shape (32/28
// layers x 4096/3584 wide, 14336/18944 MLP) in fp32 is 28 GiB, too big for this machine, so the layers keep the real
// head_dim (128), GQA grouping (4 query heads per KV head) and MLP ratios (3.5x Mistral, 5.3x Qwen2) at a reduced
// width and depth (default 8 layers x 512 wide); Mistral keeps its 32000-token vocabulary, Qwen2 uses the tiny
// fixture's byte-level BPE (419 tokens). Random weights; the tiny fixtures' tokenizer and sentence-transformers files.
//   * tokens/s of hf: end to end as a ratio to onnxruntime's own session.run on the same graph and padded batches;
//   * causal vs bidirectional (Qwen2 with "is_causal": false) on the same weights.
//   node bin/run-ts.js bench/models/decoders.ts [--texts 64] [--layers 8] [--hidden 512] [--json out.json]
// --full-shape: the real widths (Mistral-7B 4096 / 14336 MLP / GQA 32:8, Qwen2-7B 3584 / 18944 / 28:4, Qwen2-1.5B
// 1536 / 8960 / 12:2, real vocabularies) with random fp16 weights, run by hf: as it runs any checkpoint (fp32 graph).
// A whole 7B model is 28 GiB in fp32, over this machine's memory, so each shape runs with 1 and 2 real-width layers
// in its own child process: per-layer time = t(2) - t(1), whole-model time = t(1) + (layers - 1) x per-layer;
// peak RSS per child (getrusage). --whole NAME runs that shape with every layer (1.5B fits: ~6 GiB fp32).
//   node bin/run-ts.js bench/models/decoders.ts --full-shape [--texts 8] [--json out.json] [--whole qwen2-1.5b]
//     [--shapes mistral-7b,qwen2-7b,qwen2-1.5b]
// CPU timings on a shared machine are noisy: compare only numbers measured in one run.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readDecoderConfig } from '../../src/embedders/hf/arch/decoder-config.js';
import { decoderTensorShapes } from '../../src/embedders/hf/arch/decoder-graph.js';
import { createHfEmbedder } from '../../src/embedders/hf/embedder.js';
import { loadOnnxruntime } from '../../src/native/optional-module.js';
import { beirLikeTexts, measureFamily, writeCheckpointFiles, writeSafetensors } from './synthetic.js';

const arg = (k: string, d: string) => {
  const i = process.argv.indexOf(`--${k}`);
  return i > 0 ? process.argv[i + 1] : d;
};

/** The real shapes of the families' published checkpoints (config.json of each hub model). */
const FULL: Record<string, { fixture: string; qkvBias: boolean; windowNeedsFlag: boolean; layers: number; config: Record<string, unknown> }> = {
  'mistral-7b': {
    fixture: 'e5-mistral-tiny', qkvBias: false, windowNeedsFlag: false, layers: 32,
    config: { model_type: 'mistral', architectures: ['MistralModel'], hidden_size: 4096, intermediate_size: 14336, num_attention_heads: 32, num_key_value_heads: 8, vocab_size: 32000, rms_norm_eps: 1e-5, rope_theta: 10000, max_position_embeddings: 32768, hidden_act: 'silu', pad_token_id: 2 },
  },
  'qwen2-7b': {
    fixture: 'gte-qwen2-tiny', qkvBias: true, windowNeedsFlag: true, layers: 28,
    config: { model_type: 'qwen2', architectures: ['Qwen2Model'], hidden_size: 3584, intermediate_size: 18944, num_attention_heads: 28, num_key_value_heads: 4, vocab_size: 152064, rms_norm_eps: 1e-6, rope_theta: 1e6, max_position_embeddings: 32768, hidden_act: 'silu', eos_token_id: 151643 },
  },
  'qwen2-1.5b': {
    fixture: 'gte-qwen2-tiny', qkvBias: true, windowNeedsFlag: true, layers: 28,
    config: { model_type: 'qwen2', architectures: ['Qwen2Model'], hidden_size: 1536, intermediate_size: 8960, num_attention_heads: 12, num_key_value_heads: 2, vocab_size: 151646, rms_norm_eps: 1e-6, rope_theta: 1e6, max_position_embeddings: 32768, hidden_act: 'silu', eos_token_id: 151643 },
  },
};
const FULL_MAXLEN = 256;

/** Child: one shape with `layers` real-width layers; prints one JSON line (seconds for the texts, peak RSS). */
async function fullShapeChild(name: string, layers: number, nTexts: number): Promise<void> {
  const fam = FULL[name];
  const root = mkdtempSync(join(tmpdir(), 'mteb-ts-bench-full-'));
  try {
    const dir = join(root, 'ckpt');
    const ck = writeCheckpointFiles(dir, fam.fixture, { ...fam.config, num_hidden_layers: layers }, FULL_MAXLEN);
    const c = readDecoderConfig(ck, fam);
    const bytes = writeSafetensors(join(dir, 'model.safetensors'), decoderTensorShapes(c, '', fam.qkvBias), 'F16');
    const t0 = performance.now();
    const e = await createHfEmbedder(dir, { cacheDir: join(root, 'cache'), maxLength: FULL_MAXLEN });
    const openS = (performance.now() - t0) / 1000;
    const texts = beirLikeTexts(nTexts);
    await e.embed(texts.slice(0, 1), { role: 'passage' }); // warm-up
    const t1 = performance.now();
    await e.embed(texts, { role: 'passage' });
    const runS = (performance.now() - t1) / 1000;
    await e.close?.();
    console.log(JSON.stringify({ shape: name, layers, fp16_bytes: bytes, open_s: Number(openS.toFixed(1)), run_s: Number(runS.toFixed(2)), peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024) }));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** Parent: each shape at 1 and 2 layers (and `--whole` at every layer) in child processes; per-layer projection. */
async function fullShape(): Promise<void> {
  const nTexts = Number(arg('texts', '8'));
  const whole = arg('whole', '');
  // Real tokens of the text set (the fixture tokenizers differ: Mistral's 32k vocabulary vs the tiny Qwen2 BPE).
  const child = (name: string, layers: number) => {
    const r = spawnSync(process.execPath, ['bin/run-ts.js', process.argv[1], '--full-shape-child', name, '--layers', String(layers), '--texts', String(nTexts)], { encoding: 'utf8', maxBuffer: 1 << 24 });
    const line = r.stdout.trim().split('\n').pop() ?? '';
    if (r.status !== 0 || !line.startsWith('{')) throw new Error(`child ${name} x${layers} failed: ${r.stderr.slice(-2000)}`);
    return JSON.parse(line) as { run_s: number; peak_rss_mb: number; fp16_bytes: number; open_s: number };
  };
  const rows: Record<string, unknown>[] = [];
  const only = arg('shapes', '');
  for (const name of only ? only.split(',') : Object.keys(FULL)) {
    const fam = FULL[name];
    if (!fam) throw new Error(`--shapes: ${name} is not one of ${Object.keys(FULL).join(', ')}`);
    const dir = mkdtempSync(join(tmpdir(), 'mteb-ts-bench-tok-'));
    const ck = writeCheckpointFiles(dir, fam.fixture, { ...fam.config, num_hidden_layers: 1 }, FULL_MAXLEN);
    const { HfTextEncoder } = await import('../../src/embedders/hf/inputs.js');
    const { loadHfTokenizer } = await import('../../src/tokenize/hf-tokenizer.js');
    const enc = new HfTextEncoder(loadHfTokenizer(dir, { llamaSpecialTokens: true }), FULL_MAXLEN);
    const tokens = beirLikeTexts(nTexts).reduce((a, t) => a + enc.encode(t).ids.length, 0);
    rmSync(dir, { recursive: true, force: true });
    void ck;
    const one = child(name, 1);
    const two = child(name, 2);
    const perLayer = Math.max(two.run_s - one.run_s, 0);
    const projected = one.run_s + (fam.layers - 1) * perLayer;
    const full32 = decoderParams(fam.config, fam.layers, fam.qkvBias) * 4;
    const row: Record<string, unknown> = {
      shape: name,
      layers: fam.layers,
      hidden: fam.config.hidden_size,
      texts: nTexts,
      tokens,
      s_1_layer: one.run_s,
      s_2_layers: two.run_s,
      s_per_layer: Number(perLayer.toFixed(2)),
      projected_tokens_per_s: Number((tokens / projected).toFixed(1)),
      peak_rss_mb_1_layer: one.peak_rss_mb,
      peak_rss_mb_2_layers: two.peak_rss_mb,
      rss_mb_per_layer: two.peak_rss_mb - one.peak_rss_mb,
      projected_peak_rss_mb: one.peak_rss_mb + (fam.layers - 1) * (two.peak_rss_mb - one.peak_rss_mb),
      fp32_weights_mb: Math.round(full32 / 2 ** 20),
    };
    if (whole === name) {
      const all = child(name, fam.layers);
      Object.assign(row, { whole_s: all.run_s, whole_tokens_per_s: Number((tokens / all.run_s).toFixed(1)), whole_peak_rss_mb: all.peak_rss_mb, whole_open_s: all.open_s });
    }
    rows.push(row);
    console.log(JSON.stringify(row));
  }
  const out = arg('json', '');
  if (out) writeFileSync(out, JSON.stringify({ full_shape: true, weights: 'random fp16, fp32 graph', max_length: FULL_MAXLEN, rows }, null, 2) + '\n');
}

/** Parameters of a decoder backbone of this config with `layers` layers. */
function decoderParams(cfg: Record<string, unknown>, layers: number, qkvBias: boolean): number {
  const n = (k: string) => cfg[k] as number;
  const h = n('hidden_size');
  const kv = (h / n('num_attention_heads')) * n('num_key_value_heads');
  const perLayer = h * h * 2 + h * kv * 2 + 3 * h * n('intermediate_size') + 2 * h + (qkvBias ? h + 2 * kv : 0);
  return n('vocab_size') * h + layers * perLayer + h;
}

if (process.argv.includes('--full-shape-child')) {
  await fullShapeChild(arg('full-shape-child', ''), Number(arg('layers', '1')), Number(arg('texts', '8')));
  process.exit(0);
}
if (process.argv.includes('--full-shape')) {
  await fullShape();
  process.exit(0);
}

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
