/**
 * A corpus chunk's row-norm bound taken where its vectors are produced, so a dot-product search need not read
 * the chunk once more before its engine runs (the engine's error bound δ needs max ‖row‖ first).
 *
 * The bound decides which candidates are rescored, so a too-small one could drop a document from the top k. It
 * is therefore never read from the chunk object a provider hands over (any provider could put a number there):
 * only code that computed it from the rows with RowNormBound registers it (`trustRowNormBound`), in a registry
 * keyed by the chunk object, which nothing outside this module can write. Chunks without it (every provider
 * outside this repository, fp16 chunks) get the search's own pass, as before.
 */
import { rowSquares } from '../util/row-squares.js';
import type { CorpusChunk } from './types.js';

const trusted = new WeakMap<CorpusChunk, () => number>();

/** Largest float64 sum of squares of the rows added so far (NaN once a row holds NaN), as rows arrive. */
export class RowNormBound {
  private sumSq = 0;

  /** Takes rows [0, rows) of `data` (dim values each) into the bound. */
  add(data: Float32Array, rows: number, dim: number): this {
    let max = this.sumSq;
    for (let r = 0; r < rows && max === max; r++) {
      const s = rowSquares(data, r * dim, dim);
      // NaN anywhere stays NaN (as maxRowNorm and the scorer's maxSumSq do).
      max = s !== s ? NaN : s > max ? s : max;
    }
    this.sumSq = max;
    return this;
  }

  /** maxRowNorm (canonical/canonical.ts) of the rows added: ≥ each row's float64 norm. */
  get value(): number {
    return Math.sqrt(this.sumSq) * (1 + 2 ** -20);
  }
}

/**
 * Registers `bound` (a RowNormBound over exactly `chunk.data`'s rows, which must not change afterwards), or a
 * function that takes it when first asked (a producer that keeps its vectors need not pay for a bound no
 * dot-product search asks for), as the chunk's; returns the chunk.
 */
export function trustRowNormBound<C extends CorpusChunk>(chunk: C, bound: RowNormBound | (() => RowNormBound)): C {
  trusted.set(chunk, typeof bound === 'function' ? () => bound().value : () => bound.value);
  return chunk;
}

/** The registered bound of `chunk`, if a producer in this repository took one. */
export function rowNormBoundOf(chunk: CorpusChunk): number | undefined {
  return trusted.get(chunk)?.();
}
