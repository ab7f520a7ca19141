import { GraphBuilder, f, type BuiltModel } from '../../onnx/graph-builder.js';
import { geluErf, layerNorm as layerNormOp, paddingBias, ropeRotateHalf, silu } from '../../onnx/blocks.js';
import type { ElemType } from '../../onnx/proto.js';
import { castTo, CheckpointWeights, once } from '../../onnx/weights.js';
import type { NvEmbedDims } from './config.js';
import type { TensorRef } from './safetensors.js';

export type GraphDtype = 'fp32' | 'fp16';
/**
 * Self-attention form: `standard` ONNX ops (MatMul/Softmax; materialises [B, heads, L, L] scores) or
 * `mha` = onnxruntime's com.microsoft MultiHeadAttention, whose GPU kernels avoid the L x L scores. `mha` takes
 * the key padding as per-row lengths, so it relies on right padding (what the embedder feeds).
 */
export type AttentionImpl = 'standard' | 'mha';

export interface BuildGraphOptions {
  dtype: GraphDtype;
  /** Longest sequence the RoPE table covers (default: max_position_embeddings). */
  maxPositions?: number;
  attention?: AttentionImpl;
  metadata?: Record<string, string>;
}

/**
 * The whole NV-Embed forward pass as one ONNX graph: bidirectional Mistral (padding-only mask, RoPE, GQA,
 * SwiGLU, RMSNorm) -> latent-attention pooling -> masked mean over pool_mask -> L2 norm.
 *
 * Every checkpoint weight is an external initializer pointing into its safetensors shard, used in its
 * stored layout: linear layers are Gemm(transB=1) on [out, in] weights, so no transposed copy is needed.
 * Where the stored dtype differs from the compute dtype (fp16/bf16 checkpoint in an fp32 graph) a Cast
 * follows the initializer; onnxruntime folds it at load, so the file on disk is still never copied.
 * The latents' LayerNorm + to_kv projection depend only on weights and are left for onnxruntime's
 * constant folding (it turns the 268M-param to_kv into a 2 x 512 x 32768 K/V constant on the real model).
 */
export function buildNvEmbedGraph(d: NvEmbedDims, tensors: Map<string, TensorRef>, opts: BuildGraphOptions): BuiltModel {
  const g = new GraphBuilder('nv_embed');
  const T: ElemType = opts.dtype === 'fp16' ? 'float16' : 'float32';
  const attention = opts.attention ?? 'standard';
  const ids = g.input('input_ids', 'int64', ['batch', 'sequence']);
  const attn = g.input('attention_mask', 'int64', ['batch', 'sequence']);
  const pool = g.input('pool_mask', 'int64', ['batch', 'sequence']);

  const weights = new CheckpointWeights(g, tensors, T);
  const raw = (name: string) => weights.raw(name);
  const cast = (x: string, to: ElemType) => weights.cast(x, to);
  const W = (name: string, to: ElemType = T): string => weights.W(name, to);
  const linear = (x: string, w: string, bias?: string, t: ElemType = T) => weights.linear(x, w, bias, t);

  // Shapes: activations live as 2-D [N = batch*seq, width] so every projection is one Gemm.
  const shapeBL = g.op('Shape', [ids]);
  const seqLen = g.op('Gather', [shapeBL, g.ints([1])], { axis: 0 });
  const shape = (...tail: number[]) => g.op('Concat', [shapeBL, g.ints(tail)], { axis: 0 });

  // Padding-only additive mask [B,1,1,L] in fp32 (softmax runs in fp32 in both graph dtypes).
  const bias4 = once(() => paddingBias(g, attn));

  // RoPE tables (rotate-half), computed in float64 here and sliced to the sequence length.
  const maxPos = opts.maxPositions ?? d.maxPositions;
  const half = d.headDim / 2;
  const cosT = new Float32Array(maxPos * d.headDim);
  const sinT = new Float32Array(maxPos * d.headDim);
  for (let p = 0; p < maxPos; p++) {
    for (let i = 0; i < half; i++) {
      const a = p / Math.pow(d.ropeTheta, (2 * i) / d.headDim);
      cosT[p * d.headDim + i] = cosT[p * d.headDim + i + half] = Math.cos(a);
      sinT[p * d.headDim + i] = sinT[p * d.headDim + i + half] = Math.sin(a);
    }
  }
  const sliceL = (t: string) => g.op('Slice', [t, g.ints([0]), seqLen, g.ints([0])]);
  const asT = (x: string) => (T === 'float32' ? x : cast(x, T));
  const cos = asT(sliceL(g.floats(cosT, [maxPos, d.headDim])));
  const sin = asT(sliceL(g.floats(sinT, [maxPos, d.headDim])));
  // x [B, H, L, D]: x*cos + rotate_half(x)*sin, rotate_half = concat(-x2, x1)
  const rope = (x: string) => ropeRotateHalf(g, x, cos, sin, half);

  const tablesBL = once(() => [g.op('Unsqueeze', [cos, g.ints([1])]), g.op('Unsqueeze', [sin, g.ints([1])])]);
  const ropeBL = (x: string) => {
    const [cosBL, sinBL] = tablesBL();
    // x [B, L, H, D] with tables [L, 1, D]
    return ropeRotateHalf(g, x, cosBL, sinBL, half);
  };
  // MultiHeadAttention's 1-D key_padding_mask = valid length of each (right-padded) row.
  const keyLengths = once(() => g.op('Cast', [g.op('ReduceSum', [attn, g.ints([1])], { keepdims: 0 })], { to: castTo('int32') }));

  const rmsNorm = (x: string, w: string) => {
    const x32 = T === 'float32' ? x : cast(x, 'float32');
    const ms = g.op('ReduceMean', [g.op('Pow', [x32, g.floats([2])])], { axes: [-1], keepdims: 1 });
    const y = g.op('Div', [x32, g.op('Sqrt', [g.op('Add', [ms, g.floats([d.rmsEps])])])]);
    return g.op('Mul', [W(w), T === 'float32' ? y : cast(y, T)]);
  };
  const layerNorm = (x: string, p: string) => {
    const x32 = T === 'float32' ? x : cast(x, 'float32');
    const y = layerNormOp(g, x32, W(p + '.weight', 'float32'), W(p + '.bias', 'float32'), 1e-5);
    return T === 'float32' ? y : cast(y, T);
  };
  const softmax32 = (scores: string, bias?: string) => {
    let s = T === 'float32' ? scores : cast(scores, 'float32');
    if (bias) s = g.op('Add', [s, bias]);
    const p = g.op('Softmax', [s], { axis: -1 });
    return T === 'float32' ? p : cast(p, T);
  };
  const scalar = (x: number) => (T === 'float32' ? g.floats([x]) : g.floats([x], [1], 'float16'));

  // Token embeddings: Gather on the stored table, then Cast, so a half-precision table is never widened whole.
  const emb = raw('embedding_model.embed_tokens.weight');
  let x = g.op('Gather', [emb.name, ids], { axis: 0 });
  if (emb.stored !== T) x = cast(x, T);
  x = g.op('Reshape', [x, g.ints([-1, d.hidden])]);

  const rep = d.heads / d.kvHeads;
  const qScale = once(() => scalar(1 / Math.sqrt(d.headDim)));
  for (let i = 0; i < d.layers; i++) {
    const p = `embedding_model.layers.${i}.`;
    const h = rmsNorm(x, p + 'input_layernorm.weight');
    let merged: string;
    if (attention === 'mha') {
      // [N, n*D] -> [B, L, n, D]; RoPE broadcasts its [L, 1, D] tables over heads.
      const bl = (y: string, n: number) => g.op('Reshape', [y, shape(n, d.headDim)]);
      const flat = (y: string, n: number) => g.op('Reshape', [y, shape(n * d.headDim)]);
      const q = flat(ropeBL(bl(linear(h, p + 'self_attn.q_proj.weight'), d.heads)), d.heads);
      // MultiHeadAttention wants as many KV heads as query heads: repeat each KV head `rep` times (repeat_interleave).
      const expandKv = (y: string) =>
        rep === 1 ? flat(y, d.kvHeads) : g.op('Reshape', [g.op('Expand', [g.op('Unsqueeze', [y, g.ints([3])]), shape(d.kvHeads, rep, d.headDim)]), shape(d.heads * d.headDim)]);
      const k = expandKv(ropeBL(bl(linear(h, p + 'self_attn.k_proj.weight'), d.kvHeads)));
      const v = expandKv(bl(linear(h, p + 'self_attn.v_proj.weight'), d.kvHeads));
      const att = g.op('MultiHeadAttention', [q, k, v, '', keyLengths()], { num_heads: d.heads, scale: f(1 / Math.sqrt(d.headDim)) }, 'com.microsoft');
      merged = g.op('Reshape', [att, g.ints([-1, d.heads * d.headDim])]);
    } else {
      const heads = (y: string, n: number) => g.op('Transpose', [g.op('Reshape', [y, shape(n, d.headDim)])], { perm: [0, 2, 1, 3] });
      const q = rope(heads(linear(h, p + 'self_attn.q_proj.weight'), d.heads));
      const k = rope(heads(linear(h, p + 'self_attn.k_proj.weight'), d.kvHeads));
      const v = heads(linear(h, p + 'self_attn.v_proj.weight'), d.kvHeads);
      // GQA without copying K/V: fold the `rep` query heads of each KV head into the row axis,
      // [B, H, L, D] -> [B, kvH, rep*L, D]; head h reads KV head floor(h / rep) as repeat_interleave does.
      const qg = g.op('Reshape', [g.op('Mul', [q, qScale()]), g.ints([0, d.kvHeads, -1, d.headDim])]);
      const scores = g.op('MatMul', [qg, g.op('Transpose', [k], { perm: [0, 1, 3, 2] })]);
      const probs = softmax32(scores, bias4());
      const ctx = g.op('Reshape', [g.op('MatMul', [probs, v]), g.ints([0, d.heads, -1, d.headDim])]);
      merged = g.op('Reshape', [g.op('Transpose', [ctx], { perm: [0, 2, 1, 3] }), g.ints([-1, d.heads * d.headDim])]);
    }
    x = g.op('Add', [x, linear(merged, p + 'self_attn.o_proj.weight')]);
    const h2 = rmsNorm(x, p + 'post_attention_layernorm.weight');
    const gate = linear(h2, p + 'mlp.gate_proj.weight');
    const act = silu(g, gate);
    const up = linear(h2, p + 'mlp.up_proj.weight');
    x = g.op('Add', [x, linear(g.op('Mul', [act, up]), p + 'mlp.down_proj.weight')]);
  }
  const hs = rmsNorm(x, 'embedding_model.norm.weight');

  // Latent attention: token states are the queries, the 512 trained latents the keys/values.
  const b0 = 'latent_attention_model.cross_attend_blocks.0.';
  const b1 = 'latent_attention_model.cross_attend_blocks.1.';
  const H2 = d.crossHeads;
  const D2 = d.crossDimHead;
  // Latent K/V in fp32 whatever the graph dtype: onnxruntime constant-folds with CPU kernels, which lack
  // fp16 Gemm, so this keeps the precompute (and drops the to_kv weight) in fp16 graphs too.
  const lat = layerNormOp(g, W('latent_attention_model.latents', 'float32'), W(b0 + 'norm_context.weight', 'float32'), W(b0 + 'norm_context.bias', 'float32'), 1e-5);
  const kv = asT(linear(lat, b0 + 'fn.to_kv.weight', undefined, 'float32'));
  const [kL, vL] = g.node('Split', [kv, g.ints([H2 * D2, H2 * D2])], { axis: -1 }, 2);
  const kT = g.op('Transpose', [g.op('Reshape', [kL, g.ints([d.latents, H2, D2])])], { perm: [1, 2, 0] }); // [H2, D2, R]
  const vH = g.op('Transpose', [g.op('Reshape', [vL, g.ints([d.latents, H2, D2])])], { perm: [1, 0, 2] }); // [H2, R, D2]
  const qLat = g.op('Transpose', [g.op('Reshape', [linear(layerNorm(hs, b0 + 'norm'), b0 + 'fn.to_q.weight'), shape(H2, D2)])], { perm: [0, 2, 1, 3] });
  const pLat = softmax32(g.op('MatMul', [g.op('Mul', [qLat, scalar(1 / Math.sqrt(D2))]), kT]));
  const oLat = g.op('Reshape', [g.op('Transpose', [g.op('MatMul', [pLat, vH])], { perm: [0, 2, 1, 3] }), g.ints([-1, H2 * D2])]);
  let y = g.op('Add', [linear(oLat, b0 + 'fn.to_out.weight'), hs]);
  const ff = linear(layerNorm(y, b1 + 'norm'), b1 + 'fn.net.0.weight', b1 + 'fn.net.0.bias');
  const [val, gt] = g.node('Split', [ff, g.ints([4 * d.hidden, 4 * d.hidden])], { axis: -1 }, 2);
  // exact (erf) GELU in the pattern onnxruntime fuses into one Gelu kernel
  const gelu = geluErf(g, gt, scalar);
  y = g.op('Add', [y, linear(g.op('Mul', [val, gelu]), b1 + 'fn.net.2.weight', b1 + 'fn.net.2.bias')]);

  // Masked mean over pool_mask, then L2 normalisation (F.normalize: divide by max(norm, 1e-12)), in fp32.
  const y3 = g.op('Reshape', [T === 'float32' ? y : cast(y, 'float32'), shape(d.hidden)]);
  const m = g.op('Unsqueeze', [g.op('Cast', [pool], { to: castTo('float32') }), g.ints([-1])]);
  const sum = g.op('ReduceSum', [g.op('Mul', [y3, m]), g.ints([1])], { keepdims: 0 });
  const cnt = g.op('ReduceSum', [m, g.ints([1])], { keepdims: 0 });
  let e = g.op('Div', [sum, cnt]);
  if (d.outputNormalize) {
    const norm = g.op('Max', [g.op('ReduceL2', [e], { axes: [-1], keepdims: 1 }), g.floats([1e-12])]);
    e = g.op('Div', [e, norm]);
  }
  g.rename(e, 'sentence_embeddings');
  g.output('sentence_embeddings', 'float32', ['batch', d.hidden]);
  return g.build({ ...(opts.metadata ?? {}), graph_dtype: opts.dtype, attention }, '1');
}
