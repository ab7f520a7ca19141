import { MtebError } from '../../../core/errors.js';
import { configFields } from './config-fields.js';
import type { HfCheckpoint } from '../checkpoint.js';

/** transformers' ACT2FN names the encoder blocks compute (exact GELU, tanh GELU, ReLU, SiLU). */
export const ACTIVATIONS = ['gelu', 'gelu_new', 'gelu_pytorch_tanh', 'gelu_fast', 'relu', 'silu', 'swish'] as const;
export type Activation = (typeof ACTIVATIONS)[number];

/** Shape and numerics of a BERT-family encoder, from config.json. */
export interface EncoderConfig {
  vocab: number;
  hidden: number;
  layers: number;
  heads: number;
  intermediate: number;
  layerNormEps: number;
  maxPositions: number;
  typeVocab: number;
  activation: Activation;
  padTokenId: number;
}

/** Reads the BertConfig/XLMRobertaConfig fields, naming config.json and the field when one is missing or wrong. */
export function readEncoderConfig(ck: HfCheckpoint): EncoderConfig {
  const c = ck.config;
  const { file, int, positive } = configFields(ck);
  const hidden = int('hidden_size');
  const heads = int('num_attention_heads');
  if (!heads || hidden % heads) throw new MtebError('E_MODEL_LOAD', `hidden_size ${hidden} is not a multiple of num_attention_heads ${heads}`, { file, field: 'num_attention_heads' });
  const eps = positive('layer_norm_eps', 1e-12);
  const act = c.hidden_act ?? 'gelu';
  if (!(ACTIVATIONS as readonly unknown[]).includes(act)) throw new MtebError('E_MODEL_LOAD', `hidden_act "${String(act)}" is not supported (${ACTIVATIONS.join(', ')})`, { file, field: 'hidden_act' });
  const pet = c.position_embedding_type ?? 'absolute';
  if (pet !== 'absolute') throw new MtebError('E_MODEL_LOAD', `position_embedding_type "${String(pet)}" is not supported (absolute only)`, { file, field: 'position_embedding_type' });
  return {
    vocab: int('vocab_size'),
    hidden,
    layers: int('num_hidden_layers'),
    heads,
    intermediate: int('intermediate_size'),
    layerNormEps: eps,
    maxPositions: int('max_position_embeddings'),
    typeVocab: int('type_vocab_size', 2),
    activation: act as Activation,
    padTokenId: int('pad_token_id', 0),
  };
}
