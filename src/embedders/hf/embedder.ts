import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type * as ortTypes from 'onnxruntime-node';
import type { Embedder, EmbedOptions, InstructionTask, ModelMeta, Role } from '../../core/embedder.js';
import { MtebError } from '../../core/errors.js';
import { makeMatrix, type Matrix } from '../../core/matrix.js';
import { loadOnnxruntime, type Ort } from '../../native/optional-module.js';
import { registeredModelPrompts } from '../../registry/model-prompts.js';
import { loadHfTokenizer } from '../../tokenize/hf-tokenizer.js';
import { tokenBudgetBatches } from '../nvembed/batching.js';
import { readCheckpointTensors } from '../nvembed/safetensors.js';
import { checkProvider, parseDevice } from '../nvembed/session.js';
import { planArchitecture } from './arch/architectures.js';
import type { DecoderAttention } from './attention.js';
import { readHfCheckpoint, type HfCheckpoint, type PaddingSide } from './checkpoint.js';
import { ensureHfGraph } from './graph-cache.js';
import { locateCheckpoint } from './hub-path.js';
import { HfTextEncoder, padRows, type EncodedRow } from './inputs.js';
import { poolRow, pooledDimension } from './pooling.js';
import { choosePrompts, instructionFor, promptFor, type PromptChoice, type PromptOverride } from './prompts.js';
import { HF_FEATURE, openHfSession } from './session.js';

export interface HfEmbedderOptions {
  /** onnxruntime device: cpu (default), cuda[:N], webgpu, tensorrt. */
  device?: string;
  /** Tokens per text incl. special tokens; default the checkpoint's max_seq_length. */
  maxLength?: number;
  /** Padded tokens (rows x longest row) per onnxruntime call (default 8192). */
  tokenBudget?: number;
  /** Prompts instead of the checkpoint's own. */
  prompts?: PromptOverride;
  /** Registered model (hub id) whose prompts apply, when neither PATH nor config.json names it. */
  registered?: string;
  /** Hub revision when PATH is a model id in the HF cache. */
  revision?: string;
  /**
   * `auto` (default): the checkpoint's own onnx/model.onnx when it ships one, else our graph built from the
   * safetensors; `built` / `shipped` force one.
   */
  graph?: 'auto' | 'built' | 'shipped';
  cacheDir?: string;
  /** Decoders: causal or bidirectional attention instead of what config.json says (`is_causal`, default causal). */
  attention?: DecoderAttention;
  /**
   * Where batch padding goes; default tokenizer_config.json's `padding_side` for decoders. Left padding needs
   * relative (rotary) positions, so encoders and shipped graphs always pad right.
   */
  paddingSide?: PaddingSide;
}

/** What one opened model runs: a session whose output is token states, plus the checkpoint's pooling. */
interface Runner {
  session: ortTypes.InferenceSession;
  hidden: number;
  padTokenId: number;
  /** Identity of the weights/graph for the embedding cache. */
  graphId: string;
  architecture: string;
  /** Name of the session output holding [batch, seq, hidden] token states. */
  output: string;
  paddingSide: PaddingSide;
}

/** `hf:PATH`: a sentence-transformers checkpoint (BERT, XLM-RoBERTa, MPNet, NomicBert) run in-process on onnxruntime-node. */
export async function createHfEmbedder(path: string, opts: HfEmbedderOptions = {}): Promise<Embedder> {
  const loc = locateCheckpoint(path, { revision: opts.revision });
  if (opts.registered !== undefined && !registeredPrompts(opts.registered)) {
    throw new MtebError('E_MODEL_SPEC', `registered=${opts.registered} is not a registered hf: model (see \`mteb-ts models\`)`, { field: 'registered' });
  }
  const dev = parseDevice(opts.device ?? 'cpu');
  const ort = await loadOnnxruntime(HF_FEATURE);
  checkProvider(dev, ort);
  const ck = readHfCheckpoint(loc.dir);
  const tokenBudget = opts.tokenBudget ?? 8192;
  if (!Number.isInteger(tokenBudget) || tokenBudget < 1) throw new MtebError('E_USAGE', `token budget must be a positive integer, got ${tokenBudget}`, { field: 'token_budget' });
  let runner: Runner;
  let maxTokens: number;
  const graph = opts.graph ?? 'auto';
  if (graph === 'shipped' && !ck.onnxModel) throw new MtebError('E_FILE_MISSING', 'graph=shipped but the checkpoint has no onnx/model.onnx', { file: join(loc.dir, 'onnx', 'model.onnx') });
  if (ck.onnxModel && graph !== 'built') {
    if (opts.paddingSide === 'left') throw new MtebError('E_USAGE', 'padding_side=left needs the graph built from the safetensors (add graph=built); a shipped onnx/model.onnx pads right', { field: 'padding_side' });
    if (opts.attention !== undefined) throw new MtebError('E_USAGE', `attention=${opts.attention} needs the graph built from the safetensors (add graph=built); the shipped onnx/model.onnx fixes its own attention`, { field: 'attention' });
    // An export (optimum's layout) outputs last_hidden_state [batch, seq, hidden]; pooling stays ours, from the checkpoint's modules.
    const session = await openHfSession(ck.onnxModel, dev);
    const output = session.outputNames.find((n) => n === 'token_embeddings' || n === 'last_hidden_state') ?? session.outputNames[0];
    const hidden = ck.config.hidden_size ?? ck.config.n_embd;
    if (typeof hidden !== 'number' || !Number.isInteger(hidden) || hidden <= 0) throw new MtebError('E_MODEL_LOAD', 'config.json has no hidden_size (or n_embd) for the shipped ONNX graph', { file: join(loc.dir, 'config.json'), field: 'hidden_size' });
    const pad = ck.config.pad_token_id;
    runner = { session, hidden, padTokenId: typeof pad === 'number' ? pad : 0, graphId: `onnx:${fileHash(ck.onnxModel)}`, architecture: 'onnx/model.onnx', output, paddingSide: 'right' };
    maxTokens = Infinity; // the export's own limit; max_seq_length comes from the checkpoint
  } else {
    const tensors = readCheckpointTensors(loc.dir);
    const plan = planArchitecture(ck, tensors.tensors, { attention: opts.attention });
    if (opts.paddingSide === 'left' && !plan.leftPadding) throw new MtebError('E_USAGE', `padding_side=left applies to the rotary decoders only; ${plan.label} pads right (its absolute positions would move)`, { field: 'padding_side' });
    const paddingSide = opts.paddingSide ?? (plan.leftPadding ? ck.paddingSide : 'right');
    const built = ensureHfGraph(loc.dir, tensors, plan, opts.cacheDir);
    const session = await openHfSession(built.modelPath, dev, built.linkKind === 'symlink' ? built.checkpoint : undefined);
    runner = { session, hidden: plan.hidden, padTokenId: plan.padTokenId, graphId: plan.variant ? `${built.fingerprint}-${plan.variant}` : built.fingerprint, architecture: plan.label, output: 'token_embeddings', paddingSide };
    maxTokens = plan.maxTokens;
  }
  try {
    const maxLength = opts.maxLength ?? ck.maxSeqLength;
    if (!Number.isInteger(maxLength) || maxLength < 2) throw new MtebError('E_USAGE', `max_length must be an integer >= 2, got ${maxLength}`, { field: 'max_length' });
    if (maxLength > maxTokens) throw new MtebError('E_USAGE', `max_length ${maxLength} exceeds the ${maxTokens} positions the model has`, { field: 'max_length' });
    // LlamaTokenizer checkpoints take their special tokens from tokenizer_config.json, as transformers < 5 (and mteb) do.
    const encoder = new HfTextEncoder(loadHfTokenizer(loc.dir, { llamaSpecialTokens: true }), maxLength, ck.doLowerCase);
    const name = loc.hubId ?? (ck.nameOrPath || basename(loc.dir));
    const prompts = choosePrompts(ck, opts.prompts, registeredPrompts(opts.registered ?? name));
    return new HfEmbedder(ort, ck, runner, encoder, prompts, tokenBudget, name, loc.revision, `${dev.kind}${dev.kind === 'cpu' ? '' : ':' + dev.index}`);
  } catch (e) {
    await runner.session.release(); // a refused option must not leave the session's memory behind
    throw e;
  }
}

/** mteb's prompts for a model the registry runs through hf: (entries for other spec kinds hold templates, not prefixes). */
function registeredPrompts(name: string): PromptOverride | undefined {
  const r = registeredModelPrompts(name);
  return r && r.spec === 'hf' ? { query: r.query, passage: r.passage, source: `registry (${r.name}: ${r.source})`, queryTemplate: r.queryTemplate, taskInstructions: r.taskInstructions } : undefined;
}

/** Identity of a shipped graph: its bytes (external data, if any, is not hashed). */
function fileHash(p: string): string {
  return createHash('sha256').update(readFileSync(p)).digest('hex').slice(0, 16);
}

class HfEmbedder implements Embedder {
  readonly revision: string;
  readonly dimension: number;
  readonly fingerprint: string;

  constructor(
    private ort: Ort,
    private ck: HfCheckpoint,
    private runner: Runner,
    private encoder: HfTextEncoder,
    private prompts: PromptChoice,
    private tokenBudget: number,
    readonly name: string,
    revision: string | null,
    private device: string,
  ) {
    this.revision = revision ?? 'no_revision_available';
    this.dimension = pooledDimension(ck.pooling, runner.hidden);
    // Everything that changes a vector is in the cache identity: weights/graph, length limit, pooling, Normalize,
    // the prompts, and (as for nvembed) a non-CPU execution provider.
    const provider = device.split(':')[0];
    const pipeline = createHash('sha256')
      .update(JSON.stringify([ck.pooling, ck.normalize, ck.doLowerCase, prompts.query, prompts.passage, ...(prompts.queryTemplate ? [prompts.queryTemplate] : [])]))
      .digest('hex')
      .slice(0, 8);
    this.fingerprint = `hf:${runner.graphId}:L${encoder.maxLength}:${pipeline}${provider === 'cpu' ? '' : `:${provider}`}`;
  }

  /** The prompt a role gets: fixed per-side prompts, or for instruction-following models the task instruction in their query template. */
  promptFor(options: EmbedOptions): string {
    return promptFor(this.prompts, options.role, options.instruction);
  }

  /** Registered instruct decoders take mteb's per-task instruction on the query side and none on documents (prompts.ts). */
  instructionFor(task: InstructionTask, role: Role, fileInstruction: string | undefined): string | undefined {
    return instructionFor(this.prompts, task, role, fileInstruction);
  }

  async embed(texts: string[], options: EmbedOptions): Promise<Matrix> {
    const out = makeMatrix(texts.length, this.dimension);
    if (!texts.length) return out;
    const prompt = this.promptFor(options);
    const rows: EncodedRow[] = texts.map((t, i) => {
      if (typeof t !== 'string') throw new MtebError('E_BAD_VALUE', `text ${i} is not a string`, { field: `texts[${i}]` });
      return this.encoder.encode(t, prompt);
    });
    const H = this.runner.hidden;
    let done = 0;
    for (const b of tokenBudgetBatches(rows.map((r) => r.ids.length), this.tokenBudget, 0.75)) {
      const batchRows = b.indices.map((i) => rows[i]);
      const t = padRows(batchRows, this.runner.padTokenId, this.runner.paddingSide);
      const feeds: Record<string, ortTypes.Tensor> = {
        input_ids: new this.ort.Tensor('int64', t.inputIds, [t.batch, t.seq]),
        attention_mask: new this.ort.Tensor('int64', t.attentionMask, [t.batch, t.seq]),
      };
      // exported checkpoints (optimum) often take token_type_ids too; sentence-transformers passes zeros
      if (this.runner.session.inputNames.includes('token_type_ids')) feeds.token_type_ids = new this.ort.Tensor('int64', new BigInt64Array(t.batch * t.seq), [t.batch, t.seq]);
      const res = await this.runner.session.run(feeds);
      const states = res[this.runner.output].data as Float32Array;
      if (states.length !== t.batch * t.seq * H) throw new MtebError('E_MODEL_LOAD', `graph output ${this.runner.output} has ${states.length} values, expected ${t.batch}x${t.seq}x${H}`);
      b.indices.forEach((idx, k) => {
        const v = out.data.subarray(idx * this.dimension, (idx + 1) * this.dimension);
        // A left-padded row's tokens are its last `length` positions: pooling sees them alone, whatever the side.
        const len = rows[idx].ids.length;
        const from = k * t.seq + (this.runner.paddingSide === 'left' ? t.seq - len : 0);
        poolRow(states.subarray(from * H, (k + 1) * t.seq * H), H, len, this.ck.pooling, rows[idx].promptLength, this.ck.normalize, v);
        for (let j = 0; j < v.length; j++) {
          if (!Number.isFinite(v[j])) throw new MtebError('E_EMBEDDING_NAN', `non-finite value in the embedding of text ${idx}`, { field: `texts[${idx}]` });
        }
      });
      for (const v of Object.values(res)) (v as any).dispose?.();
      done += b.indices.length;
      options.onProgress?.(done);
    }
    return out;
  }

  meta(): Partial<ModelMeta> {
    return {
      name: this.name,
      revision: this.revision,
      embed_dim: this.dimension,
      max_tokens: this.encoder.maxLength,
      framework: ['onnxruntime-node', 'Sentence Transformers'],
      similarity_fn_name: this.ck.similarity,
      use_instructions: Boolean(this.prompts.query || this.prompts.passage || this.prompts.queryTemplate),
      loader: `hf:${resolve(this.ck.dir)} (${this.runner.architecture}, ${this.device}, ${this.runner.paddingSide === 'left' ? 'left padding, ' : ''}pooling ${this.ck.pooling.modes.join('+')}${this.ck.normalize ? ' + Normalize' : ''}, prompts from ${this.prompts.source})`,
    };
  }

  async close(): Promise<void> {
    await this.runner.session.release();
  }
}
