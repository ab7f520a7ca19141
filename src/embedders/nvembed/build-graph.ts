import { GraphBuilder, type BuiltModel } from '../../onnx/graph-builder.js';
import { geluErf, layerNorm as layerNormOp } from '../../onnx/blocks.js';
import { buildDecoderStack, decoderOps, type AttentionImpl } from '../../onnx/decoder-stack.js';
import type { ElemType } from '../../onnx/proto.js';
import { castTo } from '../../onnx/weights.js';
import type { NvEmbedDims } from './config.js';
import type { TensorRef } from './safetensors.js';

export type { AttentionImpl };
export type GraphDtype = 'fp32' | 'fp16';
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

  // The bidirectional Mistral stack (padding-only mask) shared with the hf: decoders.
  const ops = decoderOps(g, tensors, T, ids, d.rmsEps);
  const { shape, cast, asT, scalar, W, linear, softmax32 } = ops;
  const hs = buildDecoderStack(g, ops, d, ids, attn, {
    prefix: 'embedding_model.',
    causal: false,
    qkvBias: false,
    attention,
    maxPositions: opts.maxPositions ?? d.maxPositions,
  });
  const layerNorm = (x: string, p: string) => {
    const x32 = T === 'float32' ? x : cast(x, 'float32');
    const y = layerNormOp(g, x32, W(p + '.weight', 'float32'), W(p + '.bias', 'float32'), 1e-5);
    return T === 'float32' ? y : cast(y, T);
  };

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
