import { join } from 'node:path';
import { MtebError } from '../../../core/errors.js';
import type { BuiltModel } from '../../../onnx/graph-builder.js';
import type { StoredTensor } from '../../../onnx/weights.js';
import type { HfCheckpoint } from '../checkpoint.js';
import { BERT_LAYOUT, MPNET_LAYOUT, bertTensorShapes, buildBertGraph, type EncoderLayout } from './bert-graph.js';
import { readEncoderConfig } from './encoder-config.js';
import { readDecoderConfig, type DecoderAttention, type DecoderFamilyRules } from './decoder-config.js';
import { buildDecoderGraph, decoderTensorShapes } from './decoder-graph.js';
import { buildNomicGraph, nomicTensorShapes, readNomicConfig } from './nomic-graph.js';

/** What the embedder needs from an architecture once the checkpoint is checked: sizes and a graph to build. */
export interface ArchitecturePlan {
  /** The architecture's name in docs and model_meta (e.g. BertModel). */
  label: string;
  hidden: number;
  /** Id that fills padded positions. */
  padTokenId: number;
  /** Most tokens per text the position table allows. */
  maxTokens: number;
  /**
   * Whether left padding gives the same vectors as right padding: true for the rotary decoders (a uniform shift
   * of every position leaves RoPE's relative angles, so the scores, unchanged), false for encoders whose
   * absolute position of a token would move with the padding in front of it.
   */
  leftPadding: boolean;
  /** Graph variant beyond the weights ('' for encoders; the attention form for decoders): part of the graph cache key. */
  variant: string;
  build(metadata: Record<string, string>): BuiltModel;
}

/** Caller choices that change the graph (spec options). */
export interface PlanOptions {
  /** Decoders: overrides config.json's attention (`is_causal`). */
  attention?: DecoderAttention;
}

interface Architecture {
  label: string;
  /** Whether the attention form is a choice (decoders: causal or bidirectional). */
  attentionChoice?: boolean;
  plan(ck: HfCheckpoint, tensors: Map<string, StoredTensor>, opts: PlanOptions): ArchitecturePlan;
}

/** BERT-family encoders: same blocks, different position numbering, tensor names and prefix. */
function bertFamily(label: string, layout: EncoderLayout, prefixes: string[]): Architecture {
  return {
    label,
    plan(ck, tensors) {
      const c = readEncoderConfig(ck);
      const prefix = prefixes.find((p) => tensors.has(`${p}embeddings.word_embeddings.weight`));
      const where = { file: join(ck.dir, 'model.safetensors') };
      if (prefix === undefined) throw new MtebError('E_MODEL_LOAD', `no ${prefixes.map((p) => p + 'embeddings.word_embeddings.weight').join(' or ')} tensor: not a ${label} checkpoint`, where);
      checkShapes(bertTensorShapes(c, prefix, layout), tensors, label, ck.dir);
      // RoBERTa-style positions start after padding_idx, so the table holds max_position_embeddings - padding_idx - 1 texts' worth.
      const maxTokens = layout.positions === 'absolute' ? c.maxPositions : c.maxPositions - c.padTokenId - 1;
      return { label, hidden: c.hidden, padTokenId: c.padTokenId, maxTokens, leftPadding: false, variant: '', build: (metadata) => buildBertGraph(c, tensors, { layout, prefix, metadata }) };
    },
  };
}

/** NomicBert (nomic-embed-text): rotary positions, fused QKV, gated MLP, post-norm. */
const nomicBert: Architecture = {
  label: 'NomicBertModel',
  plan(ck, tensors) {
    const c = readNomicConfig(ck);
    const prefix = ['', 'bert.'].find((p) => tensors.has(`${p}embeddings.word_embeddings.weight`));
    if (prefix === undefined) throw new MtebError('E_MODEL_LOAD', 'no embeddings.word_embeddings.weight tensor: not a NomicBert checkpoint', { file: ck.dir });
    checkShapes(nomicTensorShapes(c, prefix), tensors, 'NomicBertModel', ck.dir);
    const pad = ck.config.pad_token_id;
    return { label: 'NomicBertModel', hidden: c.hidden, padTokenId: typeof pad === 'number' ? pad : 0, maxTokens: c.maxPositions, leftPadding: false, variant: '', build: (metadata) => buildNomicGraph(c, tensors, prefix, metadata) };
  },
};

/**
 * Decoder LLM backbones (MistralModel, Qwen2Model and their *ForCausalLM layouts, whose backbone sits under
 * `model.` next to an lm_head that is not read): the stack NV-Embed uses, causal unless config.json says
 * `"is_causal": false` or the caller overrides it.
 */
function decoderFamily(modelType: string, base: string, qkvBias: boolean, rules: DecoderFamilyRules): Architecture {
  const accepted = [`${base}Model`, `${base}ForCausalLM`];
  return {
    label: `${base}Model`,
    attentionChoice: true,
    plan(ck, tensors, opts) {
      const bad = ck.architectures.find((a) => !accepted.includes(a));
      if (bad) throw new MtebError('E_MODEL_LOAD', `architecture ${bad} is not supported for model_type ${modelType} (${accepted.join(', ')})`, { file: join(ck.dir, 'config.json'), field: 'architectures' });
      const c = readDecoderConfig(ck, rules);
      const prefix = ['', 'model.'].find((p) => tensors.has(`${p}embed_tokens.weight`));
      if (prefix === undefined) throw new MtebError('E_MODEL_LOAD', `no embed_tokens.weight or model.embed_tokens.weight tensor: not a ${base} checkpoint`, { file: ck.dir });
      const label = ck.architectures[0] ?? `${base}Model`;
      checkShapes(decoderTensorShapes(c, prefix, qkvBias), tensors, label, ck.dir);
      const attention = opts.attention ?? c.attention;
      return {
        label: `${label}, ${attention}`,
        hidden: c.hidden,
        padTokenId: c.padTokenId,
        maxTokens: c.maxPositions,
        leftPadding: true,
        variant: attention,
        build: (metadata) => buildDecoderGraph(c, tensors, { prefix, qkvBias, attention, metadata }),
      };
    },
  };
}

/**
 * config.json `model_type` -> architecture. Adding an encoder family is one entry here plus its graph builder;
 * the embedder, pooling, tokenization and caching are shared.
 */
const ARCHITECTURES: Record<string, Architecture> = {
  bert: bertFamily('BertModel', BERT_LAYOUT, ['', 'bert.']),
  'xlm-roberta': bertFamily('XLMRobertaModel', { ...BERT_LAYOUT, positions: 'padding-offset' }, ['', 'roberta.', 'xlm_roberta.']),
  roberta: bertFamily('RobertaModel', { ...BERT_LAYOUT, positions: 'padding-offset' }, ['', 'roberta.']),
  mpnet: bertFamily('MPNetModel', MPNET_LAYOUT, ['', 'mpnet.']),
  nomic_bert: nomicBert,
  mistral: decoderFamily('mistral', 'Mistral', false, { windowNeedsFlag: false }),
  qwen2: decoderFamily('qwen2', 'Qwen2', true, { windowNeedsFlag: true }),
};

export const SUPPORTED_MODEL_TYPES = Object.keys(ARCHITECTURES);

export function planArchitecture(ck: HfCheckpoint, tensors: Map<string, StoredTensor>, opts: PlanOptions = {}): ArchitecturePlan {
  const a = Object.hasOwn(ARCHITECTURES, ck.modelType) ? ARCHITECTURES[ck.modelType] : undefined;
  if (!a) {
    throw new MtebError('E_MODEL_LOAD', `model_type "${ck.modelType}" is not supported in-process (supported: ${SUPPORTED_MODEL_TYPES.join(', ')}); serve it with openai: or use precomputed:`, {
      file: join(ck.dir, 'config.json'),
      field: 'model_type',
    });
  }
  if (opts.attention !== undefined && !a.attentionChoice) {
    throw new MtebError('E_USAGE', `attention=${opts.attention} applies to decoder checkpoints only; ${a.label} is an encoder`, { field: 'attention' });
  }
  return a.plan(ck, tensors, opts);
}

function checkShapes(expected: Map<string, number[]>, tensors: Map<string, StoredTensor>, label: string, dir: string): void {
  for (const [name, shape] of expected) {
    const t = tensors.get(name);
    if (!t) throw new MtebError('E_MODEL_LOAD', `${label} checkpoint lacks tensor ${name}`, { file: dir, field: name });
    if (t.shape.length !== shape.length || t.shape.some((d, i) => d !== shape[i])) {
      throw new MtebError('E_MODEL_LOAD', `tensor ${name} has shape [${t.shape}], config.json implies [${shape}]`, { file: join(dir, t.file), field: name });
    }
    if (!['F32', 'F16', 'BF16'].includes(t.dtype)) throw new MtebError('E_MODEL_LOAD', `tensor ${name} is ${t.dtype}; F32, F16 or BF16 expected`, { file: join(dir, t.file), field: name });
  }
}
