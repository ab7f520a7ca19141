import { f, type GraphBuilder } from './graph-builder.js';
import { paddingBias, ropeRotateHalf, silu } from './blocks.js';
import type { ElemType } from './proto.js';
import { castTo, CheckpointWeights, once } from './weights.js';

/**
 * The Mistral/Qwen2-style decoder stack (token embedding -> N x [RMSNorm, rotary GQA self-attention, RMSNorm,
 * SwiGLU MLP] -> final RMSNorm) as ONNX nodes. One builder for every decoder family: NV-Embed (bidirectional,
 * prefix `embedding_model.`, optional MultiHeadAttention) and the `hf:` decoders (MistralModel, Qwen2 with q/k/v
 * biases, causal unless the config says otherwise). The op order is part of the contract: node names, and so the
 * bytes of NV-Embed's graphs, follow it.
 */

export interface DecoderDims {
  hidden: number;
  layers: number;
  heads: number;
  kvHeads: number;
  headDim: number;
  rmsEps: number;
  ropeTheta: number;
}

/**
 * Self-attention form: `standard` ONNX ops (MatMul/Softmax; materialises [B, heads, L, L] scores) or
 * `mha` = onnxruntime's com.microsoft MultiHeadAttention, whose GPU kernels avoid the L x L scores. `mha` takes
 * the key padding as per-row lengths, so it relies on right padding (what the embedders feed).
 */
export type AttentionImpl = 'standard' | 'mha';

export interface DecoderStackOptions {
  /** Tensor name prefix of the backbone: `embedding_model.` (NV-Embed), `model.` (*ForCausalLM) or ''. */
  prefix: string;
  /** Causal (each token attends to itself and earlier ones) on top of the key padding mask; else padding only. */
  causal: boolean;
  /** q_proj/k_proj/v_proj carry biases (Qwen2). */
  qkvBias: boolean;
  attention: AttentionImpl;
  /** Rows of the RoPE table (the longest sequence the graph accepts). */
  maxPositions: number;
}

/** Helpers in the graph's compute dtype that the pieces after the stack (pooling heads) reuse. */
export interface DecoderOps {
  T: ElemType;
  weights: CheckpointWeights;
  /** Shape of `input_ids` ([batch, seq], int64). */
  shapeBL: string;
  /** [batch, seq] shape of the inputs followed by `tail` (for Reshape). */
  shape(...tail: number[]): string;
  cast(x: string, to: ElemType): string;
  /** A constant-derived value in the compute dtype. */
  asT(x: string): string;
  scalar(x: number): string;
  W(name: string, to?: ElemType): string;
  linear(x: string, w: string, bias?: string, t?: ElemType): string;
  /** Softmax in fp32 (whatever the graph dtype), after an optional additive bias. */
  softmax32(scores: string, bias?: string): string;
  rmsNorm(x: string, w: string): string;
}

/**
 * Shared ops on the `input_ids` / `attention_mask` inputs. Creating them adds the sequence-shape nodes, so it is
 * called where NV-Embed always created them (right after its inputs).
 */
export function decoderOps(g: GraphBuilder, tensors: ConstructorParameters<typeof CheckpointWeights>[1], T: ElemType, ids: string, rmsEps: number): DecoderOps {
  const weights = new CheckpointWeights(g, tensors, T);
  // Shapes: activations live as 2-D [N = batch*seq, width] so every projection is one Gemm.
  const shapeBL = g.op('Shape', [ids]);
  const cast = (x: string, to: ElemType) => weights.cast(x, to);
  const W = (name: string, to: ElemType = T): string => weights.W(name, to);
  return {
    T,
    weights,
    shapeBL,
    shape: (...tail: number[]) => g.op('Concat', [shapeBL, g.ints(tail)], { axis: 0 }),
    cast,
    asT: (x: string) => (T === 'float32' ? x : cast(x, T)),
    scalar: (x: number) => (T === 'float32' ? g.floats([x]) : g.floats([x], [1], 'float16')),
    W,
    linear: (x: string, w: string, bias?: string, t: ElemType = T) => weights.linear(x, w, bias, t),
    softmax32: (scores: string, bias?: string) => {
      let s = T === 'float32' ? scores : cast(scores, 'float32');
      if (bias) s = g.op('Add', [s, bias]);
      const p = g.op('Softmax', [s], { axis: -1 });
      return T === 'float32' ? p : cast(p, T);
    },
    rmsNorm: (x: string, w: string) => {
      const x32 = T === 'float32' ? x : cast(x, 'float32');
      const ms = g.op('ReduceMean', [g.op('Pow', [x32, g.floats([2])])], { axes: [-1], keepdims: 1 });
      const y = g.op('Div', [x32, g.op('Sqrt', [g.op('Add', [ms, g.floats([rmsEps])])])]);
      return g.op('Mul', [W(w), T === 'float32' ? y : cast(y, T)]);
    },
  };
}

/**
 * The decoder stack on `ids` / `attn` (int64 [batch, seq], right padded): returns the final-norm token states
 * [batch*seq, hidden] in the compute dtype. Positions count from 0 at the first column (transformers' default
 * position_ids), which right padding makes each text's own positions.
 */
export function buildDecoderStack(g: GraphBuilder, ops: DecoderOps, d: DecoderDims, ids: string, attn: string, opts: DecoderStackOptions): string {
  const { T, weights, shapeBL, shape, cast, asT, linear, softmax32, rmsNorm, scalar } = ops;
  const P = opts.prefix;
  const attention = opts.attention;
  if (attention === 'mha' && opts.causal) throw new Error('internal: the MultiHeadAttention form is built for bidirectional attention only');
  const seqLen = g.op('Gather', [shapeBL, g.ints([1])], { axis: 0 });

  // RoPE tables (rotate-half), computed in float64 here and sliced to the sequence length.
  const maxPos = opts.maxPositions;
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

  const rep = d.heads / d.kvHeads;
  // Additive mask in fp32 (softmax runs in fp32 in both graph dtypes). Padding only: [B,1,1,L]. Causal: the
  // scores are [B, kvH, rep*L, L] (GQA folds the rep query heads into rows), so query row r is position r mod L:
  // keep key j when j <= r mod L and j is not padding, as transformers' causal mask with padding.
  const bias4 = once(() => (opts.causal ? causalBias(g, attn, seqLen, rep) : paddingBias(g, attn)));

  // Token embeddings: Gather on the stored table, then Cast, so a half-precision table is never widened whole.
  const emb = weights.raw(P + 'embed_tokens.weight');
  let x = g.op('Gather', [emb.name, ids], { axis: 0 });
  if (emb.stored !== T) x = cast(x, T);
  x = g.op('Reshape', [x, g.ints([-1, d.hidden])]);

  const qScale = once(() => scalar(1 / Math.sqrt(d.headDim)));
  for (let i = 0; i < d.layers; i++) {
    const p = `${P}layers.${i}.`;
    const proj = (h: string, n: string) => linear(h, `${p}self_attn.${n}.weight`, opts.qkvBias ? `${p}self_attn.${n}.bias` : undefined);
    const h = rmsNorm(x, p + 'input_layernorm.weight');
    let merged: string;
    if (attention === 'mha') {
      // [N, n*D] -> [B, L, n, D]; RoPE broadcasts its [L, 1, D] tables over heads.
      const bl = (y: string, n: number) => g.op('Reshape', [y, shape(n, d.headDim)]);
      const flat = (y: string, n: number) => g.op('Reshape', [y, shape(n * d.headDim)]);
      const q = flat(ropeBL(bl(proj(h, 'q_proj'), d.heads)), d.heads);
      // MultiHeadAttention wants as many KV heads as query heads: repeat each KV head `rep` times (repeat_interleave).
      const expandKv = (y: string) =>
        rep === 1 ? flat(y, d.kvHeads) : g.op('Reshape', [g.op('Expand', [g.op('Unsqueeze', [y, g.ints([3])]), shape(d.kvHeads, rep, d.headDim)]), shape(d.heads * d.headDim)]);
      const k = expandKv(ropeBL(bl(proj(h, 'k_proj'), d.kvHeads)));
      const v = expandKv(bl(proj(h, 'v_proj'), d.kvHeads));
      const att = g.op('MultiHeadAttention', [q, k, v, '', keyLengths()], { num_heads: d.heads, scale: f(1 / Math.sqrt(d.headDim)) }, 'com.microsoft');
      merged = g.op('Reshape', [att, g.ints([-1, d.heads * d.headDim])]);
    } else {
      const heads = (y: string, n: number) => g.op('Transpose', [g.op('Reshape', [y, shape(n, d.headDim)])], { perm: [0, 2, 1, 3] });
      const q = rope(heads(proj(h, 'q_proj'), d.heads));
      const k = rope(heads(proj(h, 'k_proj'), d.kvHeads));
      const v = heads(proj(h, 'v_proj'), d.kvHeads);
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
  return rmsNorm(x, P + 'norm.weight');
}

/** [B, 1, rep*L, L] fp32: 0 where key j is real and j <= (row mod L), the most negative float32 elsewhere. */
function causalBias(g: GraphBuilder, attn: string, seqLen: string, rep: number): string {
  const len = g.op('Squeeze', [seqLen, g.ints([0])]);
  const pos = g.op('Range', [g.ints([0], []), len, g.ints([1], [])]);
  const rows = rep === 1 ? pos : g.op('Tile', [pos, g.ints([rep])]);
  const causal = g.op('GreaterOrEqual', [g.op('Unsqueeze', [rows, g.ints([1])]), g.op('Unsqueeze', [pos, g.ints([0])])]);
  const keep = g.op('And', [g.op('Unsqueeze', [g.op('Cast', [attn], { to: castTo('bool') }), g.ints([1, 2])]), causal]);
  return g.op('Where', [keep, g.floats([0]), g.floats([-3.4028234663852886e38])]);
}
