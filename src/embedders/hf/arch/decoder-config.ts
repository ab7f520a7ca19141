import { configFields } from './config-fields.js';
import { MtebError } from '../../../core/errors.js';
import type { DecoderDims } from '../../../onnx/decoder-stack.js';
import type { HfCheckpoint } from '../checkpoint.js';

import type { DecoderAttention } from '../attention.js';
export { DECODER_ATTENTIONS, type DecoderAttention } from '../attention.js';

/** Longest RoPE table a graph carries inline (2 x 32768 x head_dim float32: 32 MiB at head_dim 128). */
export const MAX_ROPE_ROWS = 32768;

/** What differs between the decoder families besides the tensors. */
export interface DecoderFamilyRules {
  /**
   * true: `sliding_window` applies only with `use_sliding_window` (Qwen2); false: whenever the config has one
   * (Mistral's mask adds it then).
   */
  windowNeedsFlag: boolean;
}

/** A Mistral / Qwen2 decoder's shape and numerics, from config.json. */
export interface DecoderConfig extends DecoderDims {
  vocab: number;
  intermediate: number;
  /** Positions the graph accepts: max_position_embeddings, capped by a sliding window that would apply and by MAX_ROPE_ROWS. */
  maxPositions: number;
  padTokenId: number;
  /** config.json's attention: causal unless it says `"is_causal": false`. */
  attention: DecoderAttention;
}

/**
 * Reads MistralConfig / Qwen2Config fields, naming config.json and the field when one is missing or asks for
 * something the graph does not compute (rope_scaling, a sliding window inside the accepted length, another activation).
 */
export function readDecoderConfig(ck: HfCheckpoint, family: DecoderFamilyRules): DecoderConfig {
  const c = ck.config;
  const fields = configFields(ck);
  const file = fields.file;
  const int = (key: string, dflt?: number): number => fields.int(key, dflt, 1);
  const pos = fields.positive;
  const hidden = int('hidden_size');
  const heads = int('num_attention_heads');
  const kvHeads = int('num_key_value_heads', heads);
  if (heads % kvHeads) throw new MtebError('E_MODEL_LOAD', `num_attention_heads ${heads} is not a multiple of num_key_value_heads ${kvHeads}`, { file, field: 'num_key_value_heads' });
  const headDim = c.head_dim === undefined || c.head_dim === null ? hidden / heads : int('head_dim');
  if (!Number.isInteger(headDim) || headDim % 2) throw new MtebError('E_MODEL_LOAD', `head dimension ${headDim} (hidden_size / num_attention_heads) must be an even integer`, { file, field: 'head_dim' });
  const act = c.hidden_act ?? 'silu';
  if (act !== 'silu' && act !== 'swish') throw new MtebError('E_MODEL_LOAD', `hidden_act "${String(act)}" is not supported (silu only)`, { file, field: 'hidden_act' });
  if (c.rope_scaling !== undefined && c.rope_scaling !== null) throw new MtebError('E_MODEL_LOAD', 'rope_scaling is not supported (plain RoPE only)', { file, field: 'rope_scaling' });
  const isCausal = c.is_causal ?? true;
  if (typeof isCausal !== 'boolean') throw new MtebError('E_MODEL_LOAD', '"is_causal" must be true or false', { file, field: 'is_causal' });
  let maxPositions = Math.min(int('max_position_embeddings'), MAX_ROPE_ROWS);
  // The graph has no window, so it accepts no sequence the window would cut.
  const window = c.sliding_window;
  const windowApplies = family.windowNeedsFlag ? c.use_sliding_window === true : typeof window === 'number';
  if (windowApplies) {
    if (typeof window !== 'number' || !Number.isInteger(window) || window < 1) throw new MtebError('E_MODEL_LOAD', '"sliding_window" must be a positive integer', { file, field: 'sliding_window' });
    maxPositions = Math.min(maxPositions, window);
  }
  const eos = Array.isArray(c.eos_token_id) ? c.eos_token_id[0] : c.eos_token_id;
  const pad = typeof c.pad_token_id === 'number' ? c.pad_token_id : typeof eos === 'number' ? eos : 0;
  return {
    vocab: int('vocab_size'),
    hidden,
    layers: int('num_hidden_layers'),
    heads,
    kvHeads,
    headDim,
    intermediate: int('intermediate_size'),
    rmsEps: pos('rms_norm_eps', 1e-6),
    ropeTheta: pos('rope_theta', 10000),
    maxPositions,
    padTokenId: pad,
    attention: isCausal ? 'causal' : 'bidirectional',
  };
}
