// CPU throughput of the `hf:` encoders per family, on full-size-shaped checkpoints (random weights, 12 layers x
// 384 wide as bge-small / e5-small / MiniLM-L12; the tiny fixture's tokenizer and sentence-transformers files):
//   * tokens/s of hf: end to end (tokenize, sort, batch, run, pool) as a ratio to onnxruntime's own session.run on
//     the same graph and the same padded batches (the ratio is the harness overhead; the absolute numbers depend on
//     the machine and its load);
//   * padding share of length-sorted token-budget batches vs input-order batches with the same budget.
//   node bin/run-ts.js bench/models/encoders.ts [--texts 64] [--rounds 3] [--layers 12] [--hidden 384] [--json out.json]
// CPU timings on a shared machine are noisy: compare only numbers measured in one run.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BERT_LAYOUT, MPNET_LAYOUT, bertTensorShapes } from '../../src/embedders/hf/arch/bert-graph.js';
import { readEncoderConfig } from '../../src/embedders/hf/arch/encoder-config.js';
import { nomicTensorShapes, readNomicConfig } from '../../src/embedders/hf/arch/nomic-graph.js';
import { loadOnnxruntime } from '../../src/native/optional-module.js';
import { beirLikeTexts, measureFamily, writeCheckpointFiles, writeSafetensors } from './synthetic.js';

const arg = (k: string, d: string) => {
  const i = process.argv.indexOf(`--${k}`);
  return i > 0 ? process.argv[i + 1] : d;
};
const N = Number(arg('texts', '64'));
const ROUNDS = Number(arg('rounds', '3'));
const LAYERS = Number(arg('layers', '12'));
const H = Number(arg('hidden', '384'));
const HEADS = H / 32;
const BUDGET = 8192;
const VOCAB = 30522;
const MAXLEN = 256;

const FAMILIES: { name: string; fixture: string; config: Record<string, unknown> }[] = [
  { name: 'bert', fixture: 'bert-tiny', config: { model_type: 'bert', architectures: ['BertModel'], hidden_size: H, num_hidden_layers: LAYERS, num_attention_heads: HEADS, intermediate_size: 4 * H, max_position_embeddings: 512, type_vocab_size: 2, vocab_size: VOCAB, layer_norm_eps: 1e-12, hidden_act: 'gelu', pad_token_id: 0 } },
  { name: 'xlm-roberta', fixture: 'xlmr-tiny', config: { model_type: 'xlm-roberta', architectures: ['XLMRobertaModel'], hidden_size: H, num_hidden_layers: LAYERS, num_attention_heads: HEADS, intermediate_size: 4 * H, max_position_embeddings: 514, type_vocab_size: 1, vocab_size: VOCAB, layer_norm_eps: 1e-5, hidden_act: 'gelu', pad_token_id: 1 } },
  { name: 'mpnet', fixture: 'mpnet-tiny', config: { model_type: 'mpnet', architectures: ['MPNetForMaskedLM'], hidden_size: H, num_hidden_layers: LAYERS, num_attention_heads: HEADS, intermediate_size: 4 * H, max_position_embeddings: 514, vocab_size: VOCAB, layer_norm_eps: 1e-5, hidden_act: 'gelu', pad_token_id: 1, relative_attention_num_buckets: 32 } },
  { name: 'nomic_bert', fixture: 'nomic-tiny', config: { model_type: 'nomic_bert', architectures: ['NomicBertModel'], n_embd: H, n_layer: LAYERS, n_head: HEADS, n_inner: 4 * H, n_positions: 2048, type_vocab_size: 2, vocab_size: VOCAB, layer_norm_epsilon: 1e-12, activation_function: 'swiglu', rotary_emb_base: 1000, rotary_emb_fraction: 1, qkv_proj_bias: false, mlp_fc1_bias: false, mlp_fc2_bias: false, prenorm: false } },
];
const texts = beirLikeTexts(N);

const ort = await loadOnnxruntime('bench');
const root = mkdtempSync(join(tmpdir(), 'mteb-ts-bench-encoders-'));
const rows: Record<string, unknown>[] = [];
try {
  for (const fam of FAMILIES) {
    const dir = join(root, fam.name);
    const ck = writeCheckpointFiles(dir, fam.fixture, fam.config, MAXLEN);
    const shapes = fam.name === 'nomic_bert' ? nomicTensorShapes(readNomicConfig(ck), '') : bertTensorShapes(readEncoderConfig(ck), '', fam.name === 'mpnet' ? MPNET_LAYOUT : fam.name === 'bert' ? BERT_LAYOUT : { ...BERT_LAYOUT, positions: 'padding-offset' });
    const bytes = writeSafetensors(join(dir, 'model.safetensors'), shapes);
    const m = await measureFamily(ort, dir, texts, { maxLen: MAXLEN, budget: BUDGET, padId: Number(fam.config.pad_token_id ?? 0), cacheDir: join(root, 'cache'), rounds: ROUNDS });
    const row = { family: fam.name, params_mb: Math.round(bytes / 2 ** 20), ...m };
    rows.push(row);
    console.log(JSON.stringify(row));
    rmSync(dir, { recursive: true, force: true });
  }
} finally {
  rmSync(root, { recursive: true, force: true });
}
const out = arg('json', '');
if (out) writeFileSync(out, JSON.stringify({ layers: LAYERS, hidden: H, max_length: MAXLEN, token_budget: BUDGET, rows }, null, 2) + '\n');
