/**
 * `mteb-ts/embedders`: turn a model spec into an Embedder, or build one directly. NV-Embed (onnxruntime-node,
 * an optional dependency) is reached through `resolveEmbedder('nvembed:DIR')` or `createNvEmbedEmbedder`, which
 * load onnxruntime only when called. The embedding cache is `mteb-ts/cache` (it brings apache-arrow).
 */
export { resolveEmbedder, MODEL_SPEC_HELP, type ResolveOptions } from '../embedders/resolve.js';
export type { Embedder, EmbedOptions, ModelMeta, Role } from '../core/embedder.js';
export { HashEmbedder } from '../embedders/baselines/hash-embedder.js';
export { RandomEmbedder } from '../embedders/baselines/random-embedder.js';
export { PrecomputedEmbedder } from '../embedders/precomputed/precomputed-embedder.js';
export { createOpenAIEmbedder, openOpenAIEmbedder, parseOpenAISpec, type OpenAIEmbedderOptions, type OpenAISpec } from '../embedders/openai/index.js';
export { validating } from '../embedders/validating-embedder.js';
export { wrapEmbedder } from '../core/wrap-embedder.js';

export type { NvEmbedOptions } from '../embedders/nvembed/embedder.js';
import type { NvEmbedOptions } from '../embedders/nvembed/embedder.js';
import type { Embedder } from '../core/embedder.js';

/** NV-Embed from a checkpoint folder on onnxruntime-node; the NV-Embed code (and onnxruntime) load on first call. */
export async function createNvEmbedEmbedder(dir: string, opts: NvEmbedOptions = {}): Promise<Embedder> {
  const { createNvEmbedEmbedder: create } = await import('../embedders/nvembed/embedder.js');
  return create(dir, opts);
}

export type { HfEmbedderOptions } from '../embedders/hf/embedder.js';
import type { HfEmbedderOptions } from '../embedders/hf/embedder.js';

/** A sentence-transformers checkpoint (`hf:PATH`) on onnxruntime-node; the hf code (and onnxruntime) load on first call. */
export async function createHfEmbedder(path: string, opts: HfEmbedderOptions = {}): Promise<Embedder> {
  const { createHfEmbedder: create } = await import('../embedders/hf/embedder.js');
  return create(path, opts);
}
