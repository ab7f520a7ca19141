import { MtebError } from '../../../core/errors.js';
import { GraphBuilder, type BuiltModel } from '../../../onnx/graph-builder.js';
import { encoderInputs } from './encoder-inputs.js';
import { geluErf, layerNorm, paddingBias, ropeRotateHalf, silu } from '../../../onnx/blocks.js';
import { CheckpointWeights, type StoredTensor } from '../../../onnx/weights.js';
import { configFields } from './config-fields.js';
import type { HfCheckpoint } from '../checkpoint.js';

/** NomicBertConfig (a GPT2Config: n_embd, n_head, ...) fields the encoder computes with. */
export interface NomicConfig {
  vocab: number;
  hidden: number;
  layers: number;
  heads: number;
  /** fc11/fc12 width after the gated MLP's round-up to a multiple of 256. */
  intermediate: number;
  layerNormEps: number;
  typeVocab: number;
  ropeBase: number;
  /** Gate activation of the MLP: swiglu (SiLU), geglu (GELU), glu (sigmoid). */
  gate: 'swiglu' | 'geglu' | 'glu';
  qkvBias: boolean;
  fc1Bias: boolean;
  fc2Bias: boolean;
  /** Longest sequence the rotary table is built for. */
  maxPositions: number;
}

export function readNomicConfig(ck: HfCheckpoint): NomicConfig {
  const c = ck.config;
  const { file, int } = configFields(ck);
  const refuse = (field: string, why: string) => new MtebError('E_MODEL_LOAD', `${field}: ${why}`, { file, field });
  if (c.prenorm === true) throw refuse('prenorm', 'pre-norm NomicBert blocks are not supported (nomic-embed-text is post-norm)');
  if (c.causal === true) throw refuse('causal', 'causal NomicBert is not supported');
  if ((c.rotary_emb_fraction ?? 1) !== 1) throw refuse('rotary_emb_fraction', 'only full-width rotary (1.0) is supported');
  if (c.rotary_emb_interleaved === true) throw refuse('rotary_emb_interleaved', 'interleaved (GPT-J) rotary is not supported');
  if (c.rotary_emb_scale_base !== undefined && c.rotary_emb_scale_base !== null) throw refuse('rotary_emb_scale_base', 'xPos scaling is not supported');
  const act = c.activation_function ?? 'swiglu';
  if (act !== 'swiglu' && act !== 'geglu' && act !== 'glu') throw refuse('activation_function', `"${String(act)}" is not supported (swiglu, geglu, glu)`);
  const hidden = int('n_embd');
  const heads = int('n_head');
  if (!heads || hidden % heads) throw refuse('n_head', `n_embd ${hidden} is not a multiple of n_head ${heads}`);
  // NomciBertGatedMLP: hidden_features = n_inner or int(8 * n_embd / 3), rounded up to a multiple of 256
  const inner = c.n_inner ?? Math.trunc((8 * hidden) / 3);
  if (typeof inner !== 'number' || !Number.isInteger(inner) || inner <= 0) throw refuse('n_inner', 'must be a positive integer');
  const intermediate = Math.ceil(inner / 256) * 256;
  const multiple = int('pad_vocab_size_multiple', 1) || 1;
  const vocab = Math.ceil(int('vocab_size') / multiple) * multiple;
  const eps = c.layer_norm_epsilon ?? 1e-12;
  if (typeof eps !== 'number' || !(eps > 0)) throw refuse('layer_norm_epsilon', 'must be a positive number');
  const base = c.rotary_emb_base ?? 10000;
  if (typeof base !== 'number' || !(base > 0)) throw refuse('rotary_emb_base', 'must be a positive number');
  const maxPositions = int('n_positions', 2048);
  // Dynamic NTK rescales the rotary base past max_trained_positions; below it the plain table is exact.
  const ntk = c.rotary_scaling_factor;
  const trained = int('max_trained_positions', maxPositions);
  return {
    vocab,
    hidden,
    layers: int('n_layer'),
    heads,
    intermediate,
    layerNormEps: eps,
    typeVocab: int('type_vocab_size', 2),
    ropeBase: base,
    gate: act,
    qkvBias: c.qkv_proj_bias !== false,
    fc1Bias: c.mlp_fc1_bias !== false,
    fc2Bias: c.mlp_fc2_bias !== false,
    maxPositions: ntk === undefined || ntk === null ? maxPositions : Math.min(maxPositions, trained),
  };
}

export function nomicTensorShapes(c: NomicConfig, prefix: string): Map<string, number[]> {
  const H = c.hidden;
  const m = new Map<string, number[]>([
    [`${prefix}embeddings.word_embeddings.weight`, [c.vocab, H]],
    [`${prefix}emb_ln.weight`, [H]],
    [`${prefix}emb_ln.bias`, [H]],
  ]);
  if (c.typeVocab > 0) m.set(`${prefix}embeddings.token_type_embeddings.weight`, [c.typeVocab, H]);
  for (let i = 0; i < c.layers; i++) {
    const p = `${prefix}encoder.layers.${i}.`;
    const lin = (n: string, out: number, inp: number, bias: boolean) => {
      m.set(`${p}${n}.weight`, [out, inp]);
      if (bias) m.set(`${p}${n}.bias`, [out]);
    };
    lin('attn.Wqkv', 3 * H, H, c.qkvBias);
    lin('attn.out_proj', H, H, c.qkvBias);
    lin('mlp.fc11', c.intermediate, H, c.fc1Bias);
    lin('mlp.fc12', c.intermediate, H, c.fc1Bias);
    lin('mlp.fc2', H, c.intermediate, c.fc2Bias);
    for (const n of ['norm1', 'norm2']) {
      m.set(`${p}${n}.weight`, [H]);
      m.set(`${p}${n}.bias`, [H]);
    }
  }
  return m;
}

/**
 * Rotary cos/sin tables [positions, headDim] as NomicBertRotaryEmbedding makes them: inv_freq and the
 * position x inv_freq products in float32 (so the angles are the reference's own), cos/sin of those, halves repeated.
 */
export function nomicRopeTables(positions: number, headDim: number, base: number): { cos: Float32Array; sin: Float32Array } {
  const f = Math.fround;
  const half = headDim / 2;
  const inv = Array.from({ length: half }, (_, i) => f(1 / f(Math.pow(base, f((2 * i) / headDim)))));
  const cos = new Float32Array(positions * headDim);
  const sin = new Float32Array(positions * headDim);
  for (let p = 0; p < positions; p++) {
    for (let i = 0; i < half; i++) {
      const a = f(p * inv[i]);
      cos[p * headDim + i] = cos[p * headDim + i + half] = Math.cos(a);
      sin[p * headDim + i] = sin[p * headDim + i + half] = Math.sin(a);
    }
  }
  return { cos, sin };
}

/**
 * NomicBertModel (nomic-embed-text) as one fp32 graph: word + token-type(0) embeddings, emb_ln, then post-norm
 * blocks: fused Wqkv, rotary (rotate-half) on q and k, softmax attention with the padding mask, out_proj,
 * residual + norm1, gated MLP fc2(fc11(x) * act(fc12(x))), residual + norm2. Same inputs/outputs as the BERT graph.
 */
export function buildNomicGraph(c: NomicConfig, tensors: Map<string, StoredTensor>, prefix: string, metadata: Record<string, string>): BuiltModel {
  const g = new GraphBuilder('hf_nomic_bert');
  const w = new CheckpointWeights(g, tensors, 'float32');
  const H = c.hidden;
  const hd = H / c.heads;
  const { ids, attn, scalar, shapeBL, seqLen, shape, rows } = encoderInputs(g);
  const lin = (x: string, name: string, bias: boolean) => w.linear(x, `${name}.weight`, bias ? `${name}.bias` : undefined);
  const ln = (x: string, p: string) => layerNorm(g, x, w.W(p + '.weight'), w.W(p + '.bias'), c.layerNormEps);

  const emb = w.raw(`${prefix}embeddings.word_embeddings.weight`);
  let x = g.op('Gather', [emb.name, ids], { axis: 0 });
  if (emb.stored !== 'float32') x = w.cast(x, 'float32');
  if (c.typeVocab > 0) x = g.op('Add', [x, rows(w.W(`${prefix}embeddings.token_type_embeddings.weight`), g.ints([1]))]);
  x = g.op('Reshape', [ln(x, `${prefix}emb_ln`), g.ints([-1, H])]);

  const t = nomicRopeTables(c.maxPositions, hd, c.ropeBase);
  const cos = rows(g.floats(t.cos, [c.maxPositions, hd]), seqLen);
  const sin = rows(g.floats(t.sin, [c.maxPositions, hd]), seqLen);
  const bias = paddingBias(g, attn);
  const qScale = scalar(1 / Math.sqrt(hd));
  const heads = (y: string) => g.op('Transpose', [g.op('Reshape', [y, shape(c.heads, hd)])], { perm: [0, 2, 1, 3] });
  for (let i = 0; i < c.layers; i++) {
    const p = `${prefix}encoder.layers.${i}.`;
    // Wqkv rows are (three, head, dim): q, k, v blocks of H rows each
    const [q0, k0, v0] = g.node('Split', [lin(x, p + 'attn.Wqkv', c.qkvBias), g.ints([H, H, H])], { axis: -1 }, 3);
    const q = ropeRotateHalf(g, heads(q0), cos, sin, hd / 2);
    const k = ropeRotateHalf(g, heads(k0), cos, sin, hd / 2);
    const scores = g.op('Add', [g.op('MatMul', [g.op('Mul', [q, qScale]), g.op('Transpose', [k], { perm: [0, 1, 3, 2] })]), bias]);
    const ctx = g.op('MatMul', [g.op('Softmax', [scores], { axis: -1 }), heads(v0)]);
    const merged = g.op('Reshape', [g.op('Transpose', [ctx], { perm: [0, 2, 1, 3] }), g.ints([-1, H])]);
    x = ln(g.op('Add', [lin(merged, p + 'attn.out_proj', c.qkvBias), x]), p + 'norm1');
    const up = lin(x, p + 'mlp.fc11', c.fc1Bias);
    const gate = lin(x, p + 'mlp.fc12', c.fc1Bias);
    const act = c.gate === 'swiglu' ? silu(g, gate) : c.gate === 'geglu' ? geluErf(g, gate, scalar) : g.op('Sigmoid', [gate]);
    x = ln(g.op('Add', [lin(g.op('Mul', [up, act]), p + 'mlp.fc2', c.fc2Bias), x]), p + 'norm2');
  }
  const out = g.op('Reshape', [x, shape(H)]);
  g.rename(out, 'token_embeddings');
  g.output('token_embeddings', 'float32', ['batch', 'sequence', H]);
  return g.build(metadata, '1');
}
