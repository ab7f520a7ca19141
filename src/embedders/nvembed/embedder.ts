import { basename, resolve } from 'node:path';
import type * as ortTypes from 'onnxruntime-node';
import type { Embedder, EmbedOptions, ModelMeta } from '../../core/embedder.js';
import { MtebError } from '../../core/errors.js';
import { makeMatrix, type Matrix } from '../../core/matrix.js';
import { loadHfTokenizer } from '../../tokenize/hf-tokenizer.js';
import { fixedOrderBatches, tokenBudgetBatches } from './batching.js';
import type { AttentionImpl, GraphDtype } from './build-graph.js';
import { ensureOnnx, type BuildOnnxResult } from './build-onnx.js';
import { NvEmbedEncoder, padBatch, type EncodedText } from './inputs.js';
import { checkAttention, checkProvider, createSession, parseDevice, NVEMBED_FEATURE } from './session.js';
import { loadOnnxruntime, type Ort } from '../../native/optional-module.js';

/**
 * The graph dtype and attention form, spelled out here rather than imported from build-graph.ts so that this
 * module's published types (what `mteb-ts/embedders` users compile against) do not pull in the ONNX graph
 * builder and with it onnx-proto's typings; `sameAsGraph` below fails the typecheck if they ever diverge.
 */
export type NvEmbedDtype = 'fp32' | 'fp16';
export type NvEmbedAttention = 'standard' | 'mha';
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameAsGraph: [Same<NvEmbedDtype, GraphDtype>, Same<NvEmbedAttention, AttentionImpl>] = [true, true];
void sameAsGraph;

export interface NvEmbedOptions {
  device?: string;
  /** Tokens per text after the template (default 4096; NV-Embed-v2's card allows 32768). */
  maxLength?: number;
  /** Padded tokens (rows x longest row) per onnxruntime call (default 16384). */
  tokenBudget?: number;
  /** Graph compute dtype; default fp16 on GPUs, fp32 on CPU. */
  dtype?: NvEmbedDtype;
  /** Self-attention form in the graph: `standard` ops (default on cpu/webgpu) or onnxruntime's fused `mha` (default on cuda/tensorrt). */
  attention?: NvEmbedAttention;
  cacheDir?: string;
  /** Batch order: length-sorted token-budget batches (default) or input order with the same budget (benchmark baseline). */
  batching?: 'sorted' | 'input-order';
  /** How the cache links the shards (default hardlink, falling back to symlink across filesystems). */
  link?: 'hardlink' | 'symlink';
}

/** `nvembed:DIR`: NV-Embed (v1/v2 layout) from a local checkpoint folder, run in-process by onnxruntime-node. */
export async function createNvEmbedEmbedder(dir: string, opts: NvEmbedOptions = {}): Promise<Embedder> {
  const ckpt = resolve(dir);
  const dev = parseDevice(opts.device ?? 'cpu');
  // onnxruntime-node is an optional dependency: a missing one, like a missing CUDA provider, fails at once,
  // before any graph build.
  const ort = await loadOnnxruntime(NVEMBED_FEATURE);
  checkProvider(dev, ort);
  if (opts.dtype !== undefined && opts.dtype !== 'fp16' && opts.dtype !== 'fp32') {
    throw new MtebError('E_MODEL_SPEC', `dtype must be fp16 or fp32, got "${opts.dtype}"`, { field: 'dtype' });
  }
  if (opts.attention !== undefined && opts.attention !== 'standard' && opts.attention !== 'mha') {
    throw new MtebError('E_MODEL_SPEC', `attention must be standard or mha, got "${opts.attention}"`, { field: 'attention' });
  }
  const dtype: GraphDtype = opts.dtype ?? (dev.kind === 'cpu' ? 'fp32' : 'fp16');
  const maxLength = opts.maxLength ?? 4096;
  const tokenBudget = opts.tokenBudget ?? 16384;
  if (!Number.isInteger(maxLength) || maxLength < 2) throw new MtebError('E_USAGE', `max_length must be an integer >= 2, got ${maxLength}`, { field: 'max_length' });
  if (!Number.isInteger(tokenBudget) || tokenBudget < 1) throw new MtebError('E_USAGE', `token budget must be a positive integer, got ${tokenBudget}`, { field: 'token_budget' });
  // GPUs get the fused attention op by default: the standard form materialises [B, 32, L, L] scores per layer.
  const attention: AttentionImpl = opts.attention ?? (dev.kind === 'cuda' || dev.kind === 'tensorrt' ? 'mha' : 'standard');
  checkAttention(dev, attention);
  const built = ensureOnnx(ckpt, { dtype, attention, cacheDir: opts.cacheDir, link: opts.link });
  if (maxLength > built.dims.maxPositions) {
    throw new MtebError('E_USAGE', `max_length ${maxLength} exceeds the model's max_position_embeddings ${built.dims.maxPositions}`, { field: 'max_length' });
  }
  const encoder = new NvEmbedEncoder(loadHfTokenizer(ckpt), maxLength);
  const session = await createSession(built.modelPath, dev, built.linkKind === 'symlink' ? built.checkpoint : undefined);
  return new NvEmbedOnnx(ort, ckpt, built, encoder, session, tokenBudget, `${dev.kind}${dev.kind === 'cpu' ? '' : ':' + dev.index}`, opts.batching ?? 'sorted');
}

class NvEmbedOnnx implements Embedder {
  readonly name: string;
  readonly revision = 'no_revision_available';
  readonly dimension: number;
  readonly fingerprint: string;

  constructor(
    private ort: Ort,
    private ckpt: string,
    private built: BuildOnnxResult,
    private encoder: NvEmbedEncoder,
    private session: ortTypes.InferenceSession,
    private tokenBudget: number,
    private device: string,
    private batching: 'sorted' | 'input-order',
  ) {
    this.name = built.dims.name || basename(ckpt);
    this.dimension = built.dims.hidden;
    // the tokenizer and max_length change the vectors, so they are part of the cache identity
    // The execution provider changes the last bits of the vectors (CUDA/TensorRT/WebGPU kernels sum in other
    // orders than MLAS), so a non-CPU device is part of the identity too (results and cache); the device index
    // (cuda:0 vs cuda:1) is not. CPU keeps the fingerprint it always had, so existing caches stay valid.
    const provider = device.split(':')[0];
    this.fingerprint = `nvembed:${built.fingerprint}:L${encoder.maxLength}:${built.dtype}${provider === 'cpu' ? '' : `:${provider}`}`;
    // (the attention form is numerically equivalent, so it does not split the embedding cache)
  }

  async embed(texts: string[], options: EmbedOptions): Promise<Matrix> {
    const out = makeMatrix(texts.length, this.dimension);
    if (!texts.length) return out;
    const rows: EncodedText[] = texts.map((t, i) => {
      if (typeof t !== 'string') throw new MtebError('E_BAD_VALUE', `text ${i} is not a string`, { field: `texts[${i}]` });
      const r = this.encoder.encode(t, options.instruction);
      if (r.ids.length <= r.poolStart) {
        throw new MtebError('E_USAGE', `max_length ${this.encoder.maxLength} leaves no pooled token after the ${r.poolStart}-token instruction prefix (text ${i})`, { field: 'max_length' });
      }
      return r;
    });
    let done = 0;
    const lengths = rows.map((r) => r.ids.length);
    // Unfused attention holds [rows, heads, L, L] fp32 scores: keep one layer's scores under ~2 GiB.
    const cells = this.built.attention === 'mha' ? Infinity : Math.floor(2 ** 29 / this.built.dims.heads);
    const batches = this.batching === 'sorted' ? tokenBudgetBatches(lengths, this.tokenBudget, 0.75, Infinity, cells) : fixedOrderBatches(lengths, this.tokenBudget);
    for (const b of batches) {
      const t = padBatch(b.indices.map((i) => rows[i]));
      const feeds = {
        input_ids: new this.ort.Tensor('int64', t.inputIds, [t.batch, t.seq]),
        attention_mask: new this.ort.Tensor('int64', t.attentionMask, [t.batch, t.seq]),
        pool_mask: new this.ort.Tensor('int64', t.poolMask, [t.batch, t.seq]),
      };
      const res = await this.session.run(feeds);
      const e = res.sentence_embeddings.data as Float32Array;
      b.indices.forEach((idx, k) => {
        const v = e.subarray(k * this.dimension, (k + 1) * this.dimension);
        for (let j = 0; j < v.length; j++) {
          if (!Number.isFinite(v[j])) throw new MtebError('E_EMBEDDING_NAN', `non-finite value in the embedding of text ${idx}`, { field: `texts[${idx}]` });
        }
        out.data.set(v, idx * this.dimension);
      });
      for (const v of Object.values(res)) (v as any).dispose?.();
      done += b.indices.length;
      options.onProgress?.(done);
    }
    return out;
  }

  meta(): Partial<ModelMeta> {
    const d = this.built.dims;
    return {
      name: this.name,
      revision: this.revision,
      embed_dim: d.hidden,
      max_tokens: this.encoder.maxLength,
      framework: ['onnxruntime-node'],
      similarity_fn_name: 'cosine',
      use_instructions: true,
      loader: `nvembed:${this.ckpt} (${this.device}, ${this.built.dtype}, ${this.built.attention ?? 'standard'} attention)`,
    };
  }

  async close(): Promise<void> {
    await this.session.release();
  }
}
