import type { Embedder, EmbedOptions } from '../../core/embedder.js';
import { makeMatrix, type Matrix } from '../../core/matrix.js';
import { rngFromKey } from './seeded-rng.js';

/**
 * `random:DIM[:SEED]` — chance-level baseline. Each vector depends only on (seed, text), so a text gets the
 * same vector alone or in any batch, and scores show what "no signal" looks like on each task.
 */
export class RandomEmbedder implements Embedder {
  readonly name: string;
  readonly revision = 'no_revision_available';
  readonly fingerprint: string;
  constructor(readonly dimension: number, private readonly seed = 42) {
    this.name = `mteb-ts/random-${dimension}`;
    this.fingerprint = `random:${dimension}:${seed}`;
  }
  async embed(texts: string[], options: EmbedOptions): Promise<Matrix> {
    const m = makeMatrix(texts.length, this.dimension);
    texts.forEach((t, i) => {
      const rnd = rngFromKey(`${this.seed}\u0000${t}`);
      let norm = 0;
      const off = i * this.dimension;
      for (let j = 0; j < this.dimension; j++) {
        // Box-Muller: isotropic directions, so cosine similarities are unbiased noise.
        const u = 1 - rnd();
        const v = rnd();
        const g = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
        m.data[off + j] = g;
        norm += g * g;
      }
      const inv = 1 / Math.sqrt(norm || 1);
      for (let j = 0; j < this.dimension; j++) m.data[off + j] *= inv;
    });
    options.onProgress?.(texts.length);
    return m;
  }
  meta() {
    return { embed_dim: this.dimension, framework: ['mteb-ts'], similarity_fn_name: 'cosine', use_instructions: false, loader: 'random' };
  }
}
