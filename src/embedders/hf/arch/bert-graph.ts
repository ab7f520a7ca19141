import { GraphBuilder, type BuiltModel } from '../../../onnx/graph-builder.js';
import { encoderInputs } from './encoder-inputs.js';
import { geluErf, geluTanh, layerNorm, paddingBias, silu } from '../../../onnx/blocks.js';
import { CheckpointWeights, castTo, type StoredTensor } from '../../../onnx/weights.js';
import type { Activation, EncoderConfig } from './encoder-config.js';

/** How a BERT-family model numbers positions. */
export type PositionScheme =
  /** BERT: 0..L-1. */
  | 'absolute'
  /** RoBERTa/XLM-R: cumsum over non-pad tokens + padding_idx (create_position_ids_from_input_ids), pads get padding_idx. */
  | 'padding-offset';

/** Where a family keeps each piece, relative to the model prefix / the layer prefix `encoder.layer.{i}.`. */
export interface EncoderLayout {
  positions: PositionScheme;
  /** Token-type table (row 0 is added to every token), or null when the family has none (MPNet). */
  tokenTypes: string | null;
  /** Per-layer linear layers (each `.weight` + `.bias`) and LayerNorms (`.weight` + `.bias`). */
  q: string;
  k: string;
  v: string;
  o: string;
  attnNorm: string;
  inter: string;
  out: string;
  outNorm: string;
  /** MPNet: T5-style bucketed relative position bias [buckets, heads], shared by every layer. */
  relativeBias: string | null;
}

export const BERT_LAYOUT: EncoderLayout = {
  positions: 'absolute',
  tokenTypes: 'embeddings.token_type_embeddings.weight',
  q: 'attention.self.query',
  k: 'attention.self.key',
  v: 'attention.self.value',
  o: 'attention.output.dense',
  attnNorm: 'attention.output.LayerNorm',
  inter: 'intermediate.dense',
  out: 'output.dense',
  outNorm: 'output.LayerNorm',
  relativeBias: null,
};

/** MPNet (modeling_mpnet.py): RoBERTa-style positions, no token types, attention.attn.{q,k,v,o}, relative bias. */
export const MPNET_LAYOUT: EncoderLayout = {
  positions: 'padding-offset',
  tokenTypes: null,
  q: 'attention.attn.q',
  k: 'attention.attn.k',
  v: 'attention.attn.v',
  o: 'attention.attn.o',
  attnNorm: 'attention.LayerNorm',
  inter: 'intermediate.dense',
  out: 'output.dense',
  outNorm: 'output.LayerNorm',
  relativeBias: 'encoder.relative_attention_bias.weight',
};

/** MPNetEncoder.compute_position_bias: 32 buckets, max distance 128, whatever the config says. */
export const RELATIVE_BUCKETS = 32;
const RELATIVE_MAX_DISTANCE = 128;

export interface BertGraphOptions {
  layout: EncoderLayout;
  /** Tensor-name prefix of the checkpoint ('' for BertModel, 'bert.' / 'roberta.' for task-head checkpoints). */
  prefix: string;
  metadata?: Record<string, string>;
}

/** The tensors a BERT-family encoder reads and their shapes (the checkpoint is checked against this before building). */
export function bertTensorShapes(c: EncoderConfig, prefix: string, L: EncoderLayout): Map<string, number[]> {
  const H = c.hidden;
  const m = new Map<string, number[]>([
    [`${prefix}embeddings.word_embeddings.weight`, [c.vocab, H]],
    [`${prefix}embeddings.position_embeddings.weight`, [c.maxPositions, H]],
    [`${prefix}embeddings.LayerNorm.weight`, [H]],
    [`${prefix}embeddings.LayerNorm.bias`, [H]],
  ]);
  if (L.tokenTypes) m.set(prefix + L.tokenTypes, [c.typeVocab, H]);
  if (L.relativeBias) m.set(prefix + L.relativeBias, [RELATIVE_BUCKETS, c.heads]);
  const linear = (name: string, out: number, inp: number) => {
    m.set(`${name}.weight`, [out, inp]);
    m.set(`${name}.bias`, [out]);
  };
  const norm = (name: string) => {
    m.set(`${name}.weight`, [H]);
    m.set(`${name}.bias`, [H]);
  };
  for (let i = 0; i < c.layers; i++) {
    const p = `${prefix}encoder.layer.${i}.`;
    for (const n of [L.q, L.k, L.v, L.o]) linear(p + n, H, H);
    norm(p + L.attnNorm);
    linear(p + L.inter, c.intermediate, H);
    linear(p + L.out, H, c.intermediate);
    norm(p + L.outNorm);
  }
  return m;
}

/**
 * MPNet's relative_position_bucket for every relative distance -(n-1)..(n-1), index rel + n - 1. Computed as
 * torch does it (the log in float32, then truncation), so bucket boundaries land where the reference puts them.
 */
export function relativeBucketTable(n: number, buckets = RELATIVE_BUCKETS, maxDistance = RELATIVE_MAX_DISTANCE): number[] {
  const half = buckets / 2;
  const maxExact = half / 2;
  const out: number[] = [];
  for (let rel = -(n - 1); rel <= n - 1; rel++) {
    const neg = -rel; // n = -relative_position
    let ret = neg < 0 ? half : 0;
    const a = Math.abs(neg);
    if (a < maxExact) ret += a;
    else {
      const f = Math.fround;
      const large = maxExact + Math.trunc(f(f(f(Math.log(f(a / maxExact))) / f(Math.log(maxDistance / maxExact))) * (half - maxExact)));
      ret += Math.min(large, half - 1);
    }
    out.push(ret);
  }
  return out;
}

/**
 * A BERT-family encoder (BertModel, XLMRobertaModel, MPNetModel) as one fp32 ONNX graph, as modeling_bert.py /
 * modeling_mpnet.py compute it: word + position (+ token-type 0) embeddings, LayerNorm, then post-LN layers
 * (self-attention with the additive padding mask and, for MPNet, the relative position bias; dense, residual,
 * LayerNorm; intermediate dense + activation, dense, residual, LayerNorm).
 * Inputs input_ids / attention_mask (int64 [batch, sequence]); output token_embeddings (float32
 * [batch, sequence, hidden]); pooling runs outside the graph, as sentence-transformers' Pooling module does.
 */
export function buildBertGraph(c: EncoderConfig, tensors: Map<string, StoredTensor>, opts: BertGraphOptions): BuiltModel {
  const g = new GraphBuilder('hf_encoder');
  const L = opts.layout;
  const w = new CheckpointWeights(g, tensors, 'float32');
  const P = opts.prefix;
  const H = c.hidden;
  const hd = H / c.heads;
  const { ids, attn, scalar, shapeBL, seqLen, shape, rows } = encoderInputs(g);

  // Embeddings [B, L, H]: the token table is gathered first and cast after, so a half table is never widened whole.
  const emb = w.raw(`${P}embeddings.word_embeddings.weight`);
  let words = g.op('Gather', [emb.name, ids], { axis: 0 });
  if (emb.stored !== 'float32') words = w.cast(words, 'float32');
  let pos: string;
  if (L.positions === 'absolute') {
    pos = rows(w.W(`${P}embeddings.position_embeddings.weight`), seqLen); // [L, H], broadcast over the batch
  } else {
    const notPad = g.op('Cast', [g.op('Not', [g.op('Equal', [ids, g.ints([c.padTokenId], [])])])], { to: castTo('int64') });
    const posIds = g.op('Add', [g.op('Mul', [g.op('CumSum', [notPad, g.ints([1], [])]), notPad]), g.ints([c.padTokenId], [])]);
    pos = g.op('Gather', [w.W(`${P}embeddings.position_embeddings.weight`), posIds], { axis: 0 });
  }
  let sum = g.op('Add', [words, pos]);
  if (L.tokenTypes) sum = g.op('Add', [sum, rows(w.W(P + L.tokenTypes), g.ints([1]))]); // token_type_ids are all 0
  const ln = (x: string, p: string) => layerNorm(g, x, w.W(p + '.weight'), w.W(p + '.bias'), c.layerNormEps);
  let x = ln(sum, `${P}embeddings.LayerNorm`);
  x = g.op('Reshape', [x, g.ints([-1, H])]); // [N, H]: every projection is one Gemm

  let bias = paddingBias(g, attn);
  if (L.relativeBias) {
    // [1, heads, L, L] bias from the bucket of (key - query) position, the same for every layer and batch row
    const table = relativeBucketTable(c.maxPositions);
    const steps = g.op('Range', [g.ints([0], []), g.op('Squeeze', [seqLen, g.ints([0])]), g.ints([1], [])]);
    const rel = g.op('Sub', [g.op('Unsqueeze', [steps, g.ints([0])]), g.op('Unsqueeze', [steps, g.ints([1])])]); // [L, L]: j - i
    const bucket = g.op('Gather', [g.ints(table), g.op('Add', [rel, g.ints([c.maxPositions - 1], [])])], { axis: 0 });
    const perHead = g.op('Gather', [w.W(P + L.relativeBias), bucket], { axis: 0 }); // [L, L, heads]
    bias = g.op('Add', [bias, g.op('Unsqueeze', [g.op('Transpose', [perHead], { perm: [2, 0, 1] }), g.ints([0])])]);
  }
  const qScale = scalar(1 / Math.sqrt(hd));
  const heads = (y: string) => g.op('Transpose', [g.op('Reshape', [y, shape(c.heads, hd)])], { perm: [0, 2, 1, 3] });
  for (let i = 0; i < c.layers; i++) {
    const p = `${P}encoder.layer.${i}.`;
    const lin = (y: string, n: string) => w.linear(y, `${p}${n}.weight`, `${p}${n}.bias`);
    const q = heads(g.op('Mul', [lin(x, L.q), qScale]));
    const k = heads(lin(x, L.k));
    const v = heads(lin(x, L.v));
    const scores = g.op('Add', [g.op('MatMul', [q, g.op('Transpose', [k], { perm: [0, 1, 3, 2] })]), bias]);
    const ctx = g.op('MatMul', [g.op('Softmax', [scores], { axis: -1 }), v]);
    const merged = g.op('Reshape', [g.op('Transpose', [ctx], { perm: [0, 2, 1, 3] }), g.ints([-1, H])]);
    x = ln(g.op('Add', [lin(merged, L.o), x]), p + L.attnNorm);
    const inter = activation(g, c.activation, lin(x, L.inter), scalar);
    x = ln(g.op('Add', [lin(inter, L.out), x]), p + L.outNorm);
  }
  const out = g.op('Reshape', [x, shape(H)]);
  g.rename(out, 'token_embeddings');
  g.output('token_embeddings', 'float32', ['batch', 'sequence', H]);
  return g.build(opts.metadata ?? {}, '1');
}

function activation(g: GraphBuilder, a: Activation, x: string, scalar: (v: number) => string): string {
  if (a === 'gelu') return geluErf(g, x, scalar);
  if (a === 'relu') return g.op('Relu', [x]);
  if (a === 'silu' || a === 'swish') return silu(g, x);
  return geluTanh(g, x, scalar);
}
