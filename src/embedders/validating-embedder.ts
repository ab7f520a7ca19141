import type { Embedder, EmbedOptions } from '../core/embedder.js';
import { wrapEmbedder } from '../core/wrap-embedder.js';
import { checkMatrix } from '../core/vector-check.js';

/**
 * Every embedder's output passes through here before any metric sees it: a NaN or a wrong-sized vector from
 * a remote server or a broken checkpoint becomes one precise error, never a silently wrong score
 * (the checks themselves live in vector-check.ts, shared with the readers of remote and precomputed vectors).
 */
export function validating(inner: Embedder): Embedder {
  return wrapEmbedder(inner, {
    async embed(texts: string[], options: EmbedOptions) {
      return checkMatrix(await inner.embed(texts, options), texts, inner.dimension, `model ${inner.name}`);
    },
  });
}
