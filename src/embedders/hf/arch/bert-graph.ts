import { GraphBuilder, type BuiltModel } from '../../../onnx/graph-builder.js';
import { geluErf, geluTanh, layerNorm, paddingBias, silu } from '../../../onnx/blocks.js';
import { CheckpointWeights, castTo, type StoredTensor } from '../../../onnx/weights.js';
import type { Activation, EncoderConfig } from './encoder-config.js';

/** How a BERT-family model numbers positions. */
export type PositionScheme =
  /** BERT: 0..L-1. */
  | 'absolute'
  /** RoBERTa/XLM-R: cumsum over non-pad tokens + padding_idx (create_position_ids_from_input_ids), pads get padding_idx. */
  | 'padding-offset';

export interface BertGraphOptions {
  positions: PositionScheme;
  /** Tensor-name prefix of the checkpoint ('' for BertModel, 'bert.' / 'roberta.' for task-head checkpoints). */
  prefix: string;
  metadata?: Record<string, string>;
}

/** The tensors a BERT-family encoder reads and their shapes (the checkpoint is checked against this before building). */
export function bertTensorShapes(c: EncoderConfig, prefix: string): Map<string, number[]> {
  const H = c.hidden;
  const m = new Map<string, number[]>([
    [`${prefix}embeddings.word_embeddings.weight`, [c.vocab, H]],
    [`${prefix}embeddings.position_embeddings.weight`, [c.maxPositions, H]],
    [`${prefix}embeddings.token_type_embeddings.weight`, [c.typeVocab, H]],
    [`${prefix}embeddings.LayerNorm.weight`, [H]],
    [`${prefix}embeddings.LayerNorm.bias`, [H]],
  ]);
  for (let i = 0; i < c.layers; i++) {
    const p = `${prefix}encoder.layer.${i}.`;
    for (const n of ['query', 'key', 'value']) {
      m.set(`${p}attention.self.${n}.weight`, [H, H]);
      m.set(`${p}attention.self.${n}.bias`, [H]);
    }
    m.set(`${p}attention.output.dense.weight`, [H, H]);
    m.set(`${p}attention.output.dense.bias`, [H]);
    m.set(`${p}attention.output.LayerNorm.weight`, [H]);
    m.set(`${p}attention.output.LayerNorm.bias`, [H]);
    m.set(`${p}intermediate.dense.weight`, [c.intermediate, H]);
    m.set(`${p}intermediate.dense.bias`, [c.intermediate]);
    m.set(`${p}output.dense.weight`, [H, c.intermediate]);
    m.set(`${p}output.dense.bias`, [H]);
    m.set(`${p}output.LayerNorm.weight`, [H]);
    m.set(`${p}output.LayerNorm.bias`, [H]);
  }
  return m;
}

/**
 * A BERT-family encoder (BertModel, XLMRobertaModel) as one fp32 ONNX graph, as modeling_bert.py computes it:
 * word + position + token-type(0) embeddings, LayerNorm, then post-LN layers (self-attention with the additive
 * padding mask, dense, residual, LayerNorm; intermediate dense + activation, dense, residual, LayerNorm).
 * Inputs input_ids / attention_mask (int64 [batch, sequence]); output token_embeddings (float32
 * [batch, sequence, hidden]); pooling runs outside the graph, as sentence-transformers' Pooling module does.
 */
export function buildBertGraph(c: EncoderConfig, tensors: Map<string, StoredTensor>, opts: BertGraphOptions): BuiltModel {
  const g = new GraphBuilder('hf_encoder');
  const w = new CheckpointWeights(g, tensors, 'float32');
  const P = opts.prefix;
  const H = c.hidden;
  const hd = H / c.heads;
  const ids = g.input('input_ids', 'int64', ['batch', 'sequence']);
  const attn = g.input('attention_mask', 'int64', ['batch', 'sequence']);
  const scalar = (v: number) => g.floats([v]);

  const shapeBL = g.op('Shape', [ids]);
  const seqLen = g.op('Gather', [shapeBL, g.ints([1])], { axis: 0 });
  const shape = (...tail: number[]) => g.op('Concat', [shapeBL, g.ints(tail)], { axis: 0 });
  const rows = (t: string, end: string) => g.op('Slice', [t, g.ints([0]), end, g.ints([0])]);

  // Embeddings [B, L, H]: the token table is gathered first and cast after, so a half table is never widened whole.
  const emb = w.raw(`${P}embeddings.word_embeddings.weight`);
  let words = g.op('Gather', [emb.name, ids], { axis: 0 });
  if (emb.stored !== 'float32') words = w.cast(words, 'float32');
  let pos: string;
  if (opts.positions === 'absolute') {
    pos = rows(w.W(`${P}embeddings.position_embeddings.weight`), seqLen); // [L, H], broadcast over the batch
  } else {
    const notPad = g.op('Cast', [g.op('Not', [g.op('Equal', [ids, g.ints([c.padTokenId], [])])])], { to: castTo('int64') });
    const posIds = g.op('Add', [g.op('Mul', [g.op('CumSum', [notPad, g.ints([1], [])]), notPad]), g.ints([c.padTokenId], [])]);
    pos = g.op('Gather', [w.W(`${P}embeddings.position_embeddings.weight`), posIds], { axis: 0 });
  }
  const type0 = rows(w.W(`${P}embeddings.token_type_embeddings.weight`), g.ints([1])); // token_type_ids are all 0
  const ln = (x: string, p: string) => layerNorm(g, x, w.W(p + '.weight'), w.W(p + '.bias'), c.layerNormEps);
  let x = ln(g.op('Add', [g.op('Add', [words, pos]), type0]), `${P}embeddings.LayerNorm`);
  x = g.op('Reshape', [x, g.ints([-1, H])]); // [N, H]: every projection is one Gemm

  const bias = paddingBias(g, attn);
  const qScale = scalar(1 / Math.sqrt(hd));
  const heads = (y: string) => g.op('Transpose', [g.op('Reshape', [y, shape(c.heads, hd)])], { perm: [0, 2, 1, 3] });
  for (let i = 0; i < c.layers; i++) {
    const p = `${P}encoder.layer.${i}.`;
    const lin = (y: string, n: string) => w.linear(y, `${p}${n}.weight`, `${p}${n}.bias`);
    const q = heads(g.op('Mul', [lin(x, 'attention.self.query'), qScale]));
    const k = heads(lin(x, 'attention.self.key'));
    const v = heads(lin(x, 'attention.self.value'));
    const scores = g.op('Add', [g.op('MatMul', [q, g.op('Transpose', [k], { perm: [0, 1, 3, 2] })]), bias]);
    const ctx = g.op('MatMul', [g.op('Softmax', [scores], { axis: -1 }), v]);
    const merged = g.op('Reshape', [g.op('Transpose', [ctx], { perm: [0, 2, 1, 3] }), g.ints([-1, H])]);
    x = ln(g.op('Add', [lin(merged, 'attention.output.dense'), x]), `${p}attention.output.LayerNorm`);
    const inter = activation(g, c.activation, lin(x, 'intermediate.dense'), scalar);
    x = ln(g.op('Add', [lin(inter, 'output.dense'), x]), `${p}output.LayerNorm`);
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
