import type { Embedder, EmbedOptions } from '../../core/embedder.js';
import { makeMatrix, type Matrix } from '../../core/matrix.js';
import { fnv1a } from './seeded-rng.js';

/**
 * `hash:DIM` — a lexical baseline: signed feature hashing of lower-cased word unigrams and bigrams with
 * sublinear (1 + log tf) weights, L2-normalised. It needs no fitted vocabulary, so it embeds any text alone,
 * and it gives real (BM25-like, weaker) scores on every task type: the demo's floor for a neural model.
 */
export class HashEmbedder implements Embedder {
  readonly name: string;
  readonly revision = 'no_revision_available';
  readonly fingerprint: string;
  constructor(readonly dimension: number) {
    this.name = `mteb-ts/hash-${dimension}`;
    this.fingerprint = `hash:${dimension}:v1`;
  }
  async embed(texts: string[], options: EmbedOptions): Promise<Matrix> {
    const m = makeMatrix(texts.length, this.dimension);
    texts.forEach((t, i) => this.embedOne(t, m.data.subarray(i * this.dimension, (i + 1) * this.dimension)));
    options.onProgress?.(texts.length);
    return m;
  }
  private embedOne(text: string, out: Float32Array): void {
    const words = text.toLowerCase().normalize('NFKC').match(/[\p{L}\p{N}]+/gu) ?? [];
    const tf = new Map<string, number>();
    for (let i = 0; i < words.length; i++) {
      tf.set(words[i], (tf.get(words[i]) ?? 0) + 1);
      if (i + 1 < words.length) {
        const bg = `${words[i]} ${words[i + 1]}`;
        tf.set(bg, (tf.get(bg) ?? 0) + 0.5);
      }
    }
    for (const [term, n] of tf) {
      const h = fnv1a(term);
      const sign = h & 0x80000000 ? -1 : 1;
      out[h % this.dimension] += sign * (1 + Math.log(n));
    }
    let norm = 0;
    for (let j = 0; j < out.length; j++) norm += out[j] * out[j];
    if (norm > 0) {
      const inv = 1 / Math.sqrt(norm);
      for (let j = 0; j < out.length; j++) out[j] *= inv;
    }
  }
  meta() {
    return { embed_dim: this.dimension, framework: ['mteb-ts'], similarity_fn_name: 'cosine', use_instructions: false, loader: 'hash' };
  }
}
