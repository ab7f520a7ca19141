import { buildDecoderStack, decoderOps } from '../../../onnx/decoder-stack.js';
import { GraphBuilder, type BuiltModel } from '../../../onnx/graph-builder.js';
import type { StoredTensor } from '../../../onnx/weights.js';
import type { DecoderAttention, DecoderConfig } from './decoder-config.js';

/** Tensor name -> shape a Mistral/Qwen2 backbone must have under `prefix` (the lm_head of *ForCausalLM is not read). */
export function decoderTensorShapes(c: DecoderConfig, prefix: string, qkvBias: boolean): Map<string, number[]> {
  const m = new Map<string, number[]>();
  const q = c.heads * c.headDim;
  const kv = c.kvHeads * c.headDim;
  m.set(`${prefix}embed_tokens.weight`, [c.vocab, c.hidden]);
  for (let i = 0; i < c.layers; i++) {
    const p = `${prefix}layers.${i}.`;
    m.set(p + 'input_layernorm.weight', [c.hidden]);
    m.set(p + 'self_attn.q_proj.weight', [q, c.hidden]);
    m.set(p + 'self_attn.k_proj.weight', [kv, c.hidden]);
    m.set(p + 'self_attn.v_proj.weight', [kv, c.hidden]);
    if (qkvBias) {
      m.set(p + 'self_attn.q_proj.bias', [q]);
      m.set(p + 'self_attn.k_proj.bias', [kv]);
      m.set(p + 'self_attn.v_proj.bias', [kv]);
    }
    m.set(p + 'self_attn.o_proj.weight', [c.hidden, q]);
    m.set(p + 'post_attention_layernorm.weight', [c.hidden]);
    m.set(p + 'mlp.gate_proj.weight', [c.intermediate, c.hidden]);
    m.set(p + 'mlp.up_proj.weight', [c.intermediate, c.hidden]);
    m.set(p + 'mlp.down_proj.weight', [c.hidden, c.intermediate]);
  }
  m.set(`${prefix}norm.weight`, [c.hidden]);
  return m;
}

/**
 * MistralModel / Qwen2Model as transformers computes them (fp32 graph whatever the stored dtype), output the
 * final-norm token states `token_embeddings` [batch, seq, hidden] for sentence-transformers' pooling. The stack
 * is the one NV-Embed's graph uses; only the mask, the q/k/v biases and the prefix differ.
 */
export function buildDecoderGraph(c: DecoderConfig, tensors: Map<string, StoredTensor>, o: { prefix: string; qkvBias: boolean; attention: DecoderAttention; metadata: Record<string, string> }): BuiltModel {
  const g = new GraphBuilder('hf_decoder');
  const ids = g.input('input_ids', 'int64', ['batch', 'sequence']);
  const attn = g.input('attention_mask', 'int64', ['batch', 'sequence']);
  const ops = decoderOps(g, tensors, 'float32', ids, c.rmsEps);
  const hs = buildDecoderStack(g, ops, c, ids, attn, { prefix: o.prefix, causal: o.attention === 'causal', qkvBias: o.qkvBias, attention: 'standard', maxPositions: c.maxPositions });
  const out = g.op('Reshape', [hs, ops.shape(c.hidden)]);
  g.rename(out, 'token_embeddings');
  g.output('token_embeddings', 'float32', ['batch', 'sequence', c.hidden]);
  return g.build({ ...o.metadata, attention: o.attention }, '1');
}
