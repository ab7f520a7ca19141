import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { MtebError } from '../../core/errors.js';
import { readJsonFile } from '../../util/json-file.js';
import type { CheckpointTensors, TensorRef } from './safetensors.js';

/** Everything the graph needs to know about one NV-Embed checkpoint, read from config.json. */
export interface NvEmbedDims {
  vocab: number;
  hidden: number;
  layers: number;
  heads: number;
  kvHeads: number;
  headDim: number;
  intermediate: number;
  rmsEps: number;
  ropeTheta: number;
  maxPositions: number;
  latents: number;
  crossHeads: number;
  crossDimHead: number;
  latentDim: number;
  outputNormalize: boolean;
  /** From config.json `torch_dtype`: informational, the shards' own dtypes decide. */
  torchDtype: string;
  name: string;
}

/** LatentAttentionConfig's class defaults: the real config.json only says `{"model_type": "latent_attention"}`. */
const LATENT_DEFAULTS = { num_latents_value: 512, num_cross_heads: 8, cross_dim_head: 4096, latent_dim: 4096, hidden_dim: 4096, output_normalize: true };

export function readNvEmbedConfig(dir: string): NvEmbedDims {
  const path = join(dir, 'config.json');
  if (!existsSync(path)) throw new MtebError('E_FILE_MISSING', 'NV-Embed checkpoint has no config.json', { file: path });
  const cfg = readJsonFile(path).value as any;
  const t = cfg.text_config;
  if (!t || typeof t !== 'object') throw new MtebError('E_MODEL_LOAD', 'no "text_config" object: not an NV-Embed config', { file: path, field: 'text_config' });
  const num = (obj: any, key: string, field: string, dflt?: number): number => {
    const v = obj[key] ?? dflt;
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new MtebError('E_MODEL_LOAD', `missing or non-numeric ${field}`, { file: path, field });
    return v;
  };
  const la = { ...LATENT_DEFAULTS, ...(cfg.latent_attention_config ?? {}) };
  const heads = num(t, 'num_attention_heads', 'text_config.num_attention_heads');
  const hidden = num(t, 'hidden_size', 'text_config.hidden_size');
  const dims: NvEmbedDims = {
    vocab: num(t, 'vocab_size', 'text_config.vocab_size'),
    hidden,
    layers: num(t, 'num_hidden_layers', 'text_config.num_hidden_layers'),
    heads,
    kvHeads: num(t, 'num_key_value_heads', 'text_config.num_key_value_heads', heads),
    headDim: num(t, 'head_dim', 'text_config.head_dim', Math.floor(hidden / heads)),
    intermediate: num(t, 'intermediate_size', 'text_config.intermediate_size'),
    rmsEps: num(t, 'rms_norm_eps', 'text_config.rms_norm_eps', 1e-5),
    ropeTheta: num(t, 'rope_theta', 'text_config.rope_theta', 10000),
    maxPositions: num(t, 'max_position_embeddings', 'text_config.max_position_embeddings', 32768),
    latents: num(la, 'num_latents_value', 'latent_attention_config.num_latents_value'),
    crossHeads: num(la, 'num_cross_heads', 'latent_attention_config.num_cross_heads'),
    crossDimHead: num(la, 'cross_dim_head', 'latent_attention_config.cross_dim_head'),
    latentDim: num(la, 'latent_dim', 'latent_attention_config.latent_dim'),
    outputNormalize: la.output_normalize !== false,
    torchDtype: String(cfg.torch_dtype ?? t.torch_dtype ?? 'float32'),
    name: String(cfg._name_or_path ?? 'nv-embed'),
  };
  if (dims.heads % dims.kvHeads !== 0) {
    throw new MtebError('E_MODEL_LOAD', `num_attention_heads ${dims.heads} is not a multiple of num_key_value_heads ${dims.kvHeads}`, { file: path, field: 'text_config.num_key_value_heads' });
  }
  if (cfg.padding_side && cfg.padding_side !== 'right') {
    throw new MtebError('E_MODEL_LOAD', `padding_side "${cfg.padding_side}" unsupported: NV-Embed masks instructions only with right padding`, { file: path, field: 'padding_side' });
  }
  return dims;
}

/** The shape every tensor must have for these dims (the real checkpoint's names). */
export function expectedShapes(d: NvEmbedDims): Map<string, number[]> {
  const m = new Map<string, number[]>();
  const inner = d.crossHeads * d.crossDimHead;
  m.set('embedding_model.embed_tokens.weight', [d.vocab, d.hidden]);
  m.set('embedding_model.norm.weight', [d.hidden]);
  for (let i = 0; i < d.layers; i++) {
    const p = `embedding_model.layers.${i}.`;
    m.set(p + 'input_layernorm.weight', [d.hidden]);
    m.set(p + 'post_attention_layernorm.weight', [d.hidden]);
    m.set(p + 'self_attn.q_proj.weight', [d.heads * d.headDim, d.hidden]);
    m.set(p + 'self_attn.k_proj.weight', [d.kvHeads * d.headDim, d.hidden]);
    m.set(p + 'self_attn.v_proj.weight', [d.kvHeads * d.headDim, d.hidden]);
    m.set(p + 'self_attn.o_proj.weight', [d.hidden, d.heads * d.headDim]);
    m.set(p + 'mlp.gate_proj.weight', [d.intermediate, d.hidden]);
    m.set(p + 'mlp.up_proj.weight', [d.intermediate, d.hidden]);
    m.set(p + 'mlp.down_proj.weight', [d.hidden, d.intermediate]);
  }
  const p0 = 'latent_attention_model.cross_attend_blocks.0.';
  const p1 = 'latent_attention_model.cross_attend_blocks.1.';
  m.set('latent_attention_model.latents', [d.latents, d.latentDim]);
  m.set(p0 + 'norm.weight', [d.hidden]);
  m.set(p0 + 'norm.bias', [d.hidden]);
  m.set(p0 + 'norm_context.weight', [d.latentDim]);
  m.set(p0 + 'norm_context.bias', [d.latentDim]);
  m.set(p0 + 'fn.to_q.weight', [inner, d.hidden]);
  m.set(p0 + 'fn.to_kv.weight', [2 * inner, d.latentDim]);
  m.set(p0 + 'fn.to_out.weight', [d.hidden, inner]);
  m.set(p1 + 'norm.weight', [d.hidden]);
  m.set(p1 + 'norm.bias', [d.hidden]);
  m.set(p1 + 'fn.net.0.weight', [8 * d.hidden, d.hidden]);
  m.set(p1 + 'fn.net.0.bias', [8 * d.hidden]);
  m.set(p1 + 'fn.net.2.weight', [d.hidden, 4 * d.hidden]);
  m.set(p1 + 'fn.net.2.bias', [d.hidden]);
  return m;
}

/** Checks that the checkpoint holds every tensor the config implies, with the right shape and a float dtype. */
export function checkTensors(d: NvEmbedDims, ck: CheckpointTensors): Map<string, TensorRef> {
  const out = new Map<string, TensorRef>();
  for (const [name, shape] of expectedShapes(d)) {
    const r = ck.tensors.get(name);
    if (!r) throw new MtebError('E_MODEL_LOAD', `checkpoint lacks tensor ${name}`, { file: ck.dir, field: name });
    if (r.shape.length !== shape.length || r.shape.some((x, i) => x !== shape[i])) {
      throw new MtebError('E_MODEL_LOAD', `tensor ${name} has shape ${JSON.stringify(r.shape)}, config.json implies ${JSON.stringify(shape)}`, { file: `${ck.dir}/${r.file}`, field: name });
    }
    if (r.dtype !== 'F32' && r.dtype !== 'F16' && r.dtype !== 'BF16') {
      throw new MtebError('E_MODEL_LOAD', `tensor ${name} has dtype ${r.dtype}; expected F32, F16 or BF16`, { file: `${ck.dir}/${r.file}`, field: name });
    }
    out.set(name, r);
  }
  return out;
}
