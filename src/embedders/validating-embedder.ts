import type { Embedder, EmbedOptions } from '../core/embedder.js';
import { MtebError } from '../core/errors.js';
import type { Matrix } from '../core/matrix.js';
import { wrapEmbedder } from './wrap-embedder.js';

/**
 * Every embedder's output passes through here before any metric sees it: a NaN or a wrong-sized vector from
 * a remote server or a broken checkpoint becomes one precise error, never a silently wrong score.
 */
export function validating(inner: Embedder): Embedder {
  const check = (texts: string[], m: Matrix): Matrix => {
    if (m.rows !== texts.length)
      throw new MtebError('E_EMBEDDING_DIM', `model ${inner.name} returned ${m.rows} vectors for ${texts.length} texts`);
    if (m.dim !== inner.dimension)
      throw new MtebError('E_EMBEDDING_DIM', `model ${inner.name} returned vectors of dimension ${m.dim}, expected ${inner.dimension}`);
    const d = m.data;
    for (let i = 0; i < d.length; i++) {
      if (!Number.isFinite(d[i])) {
        const r = Math.floor(i / m.dim);
        const t = texts[r];
        const shown = t.length > 60 ? `${t.slice(0, 57)}...` : t;
        throw new MtebError('E_EMBEDDING_NAN', `model ${inner.name} returned ${d[i]} in the vector of text #${r} ${JSON.stringify(shown)}`);
      }
    }
    return m;
  };
  return wrapEmbedder(inner, {
    async embed(texts: string[], options: EmbedOptions) {
      return check(texts, await inner.embed(texts, options));
    },
  });
}
