import { f, type GraphBuilder } from './graph-builder.js';
import { castTo } from './weights.js';

/**
 * Graph pieces several architectures compute the same way (NV-Embed's decoder and latent head, the BERT-family
 * encoders). Each takes the node names of its inputs and returns the name of its output; the op order is part of
 * the contract, since node names (and so the graph's bytes) follow it.
 */

/** Exact (erf) GELU, in the Mul/Erf pattern onnxruntime fuses into one Gelu kernel. `scalar` makes a constant in the compute dtype. */
export function geluErf(g: GraphBuilder, x: string, scalar: (v: number) => string): string {
  return g.op('Mul', [g.op('Mul', [x, g.op('Add', [g.op('Erf', [g.op('Div', [x, scalar(Math.SQRT2)])]), scalar(1)])]), scalar(0.5)]);
}

/** tanh-approximated GELU (transformers' gelu_new / gelu_pytorch_tanh). */
export function geluTanh(g: GraphBuilder, x: string, scalar: (v: number) => string): string {
  const inner = g.op('Mul', [g.op('Add', [x, g.op('Mul', [g.op('Pow', [x, scalar(3)]), scalar(0.044715)])]), scalar(Math.sqrt(2 / Math.PI))]);
  return g.op('Mul', [g.op('Mul', [x, scalar(0.5)]), g.op('Add', [g.op('Tanh', [inner]), scalar(1)])]);
}

/** SiLU as x * sigmoid(x) (onnxruntime fuses it). */
export function silu(g: GraphBuilder, x: string): string {
  return g.op('Mul', [x, g.op('Sigmoid', [x])]);
}

/** LayerNorm over the last axis (ONNX LayerNormalization, statistics in the input's dtype). */
export function layerNorm(g: GraphBuilder, x: string, weight: string, bias: string, eps: number): string {
  return g.op('LayerNormalization', [x, weight, bias], { axis: -1, epsilon: f(eps) });
}

/**
 * Additive key-padding mask [B, 1, 1, L] (fp32) from an int64 attention mask: 0 where attended, the most negative
 * float32 elsewhere, as transformers' `(1 - mask) * finfo(float32).min`.
 */
export function paddingBias(g: GraphBuilder, attentionMask: string): string {
  const keep = g.op('Cast', [attentionMask], { to: castTo('bool') });
  return g.op('Unsqueeze', [g.op('Where', [keep, g.floats([0]), g.floats([-3.4028234663852886e38])]), g.ints([1, 2])]);
}

/**
 * Rotary embedding, rotate-half (GPT-NeoX) form: x * cos + concat(-x2, x1) * sin, with x split in halves on the
 * last axis and cos/sin tables that broadcast against x (e.g. [L, D] against [B, H, L, D]).
 */
export function ropeRotateHalf(g: GraphBuilder, x: string, cos: string, sin: string, half: number): string {
  const [x1, x2] = g.node('Split', [x, g.ints([half, half])], { axis: -1 }, 2);
  const rot = g.op('Concat', [g.op('Neg', [x2]), x1], { axis: -1 });
  return g.op('Add', [g.op('Mul', [x, cos]), g.op('Mul', [rot, sin])]);
}
