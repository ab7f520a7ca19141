import type { Similarity } from '../types.js';
import { chunkToFloat32, torchNormalizeInto } from '../vectors.js';
import type { ScoreEngine } from './types.js';

/** Plain loops with the same semantics: a reference for tests; 100x slower than onnxruntime on real shapes. */
export class JsEngine implements ScoreEngine {
  readonly name = 'js';
  private c: Float32Array = new Float32Array(0);
  private n = 0;
  private dim = 0;
  private normalize = false;

  async setChunk(data: Float32Array | Uint16Array, n: number, dim: number, similarity: Similarity): Promise<void> {
    this.normalize = similarity === 'cosine';
    this.c = chunkToFloat32({ ids: [], dim, data });
    if (this.normalize) torchNormalizeInto(this.c, this.c, dim);
    this.n = n;
    this.dim = dim;
  }

  async scores(qIn: Float32Array, m: number): Promise<Float32Array> {
    const { c, n, dim } = this;
    const q = qIn.slice();
    if (this.normalize) torchNormalizeInto(q, q, dim);
    const out = new Float32Array(m * n);
    for (let i = 0; i < m; i++) {
      const qo = i * dim;
      for (let j = 0; j < n; j++) {
        const co = j * dim;
        let s = 0;
        for (let d = 0; d < dim; d++) s += q[qo + d] * c[co + d];
        out[i * n + j] = Number.isNaN(s) ? -1 : s;
      }
    }
    return out;
  }

  async topk(q: Float32Array, m: number, kk: number) {
    const n = this.n;
    const s = await this.scores(q, m);
    const values = new Float32Array(m * kk);
    const indices = new Float64Array(m * kk);
    const order = new Array<number>(n);
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) order[j] = j;
      const row = s.subarray(i * n, (i + 1) * n);
      order.sort((a, b) => (row[a] === row[b] ? a - b : row[b] > row[a] ? 1 : -1));
      for (let r = 0; r < kk; r++) {
        values[i * kk + r] = row[order[r]];
        indices[i * kk + r] = order[r];
      }
    }
    return { values, indices };
  }

  async close(): Promise<void> {}
}
