/**
 * Row-wise similarities of two equally shaped matrices, computed in float64 from the float32 embeddings.
 * - `pairedCosine`: sklearn's 1 − paired_cosine_distances = 1 − ½‖â − b̂‖², where a zero row stays zero
 *   (sklearn's normalize leaves norms below 10·eps at 1), so cos(0, b) = 0.5 and cos(0, 0) = 1.
 * - `pairedCosineTorch`: torch.nn.functional.normalize (eps 1e-12) then dot, as mteb's cos_sim and
 *   sentence-transformers' similarity do: a zero row gives 0.
 * - manhattan / euclidean: sklearn paired distances; dot: row-wise np.dot.
 */
import type { Matrix } from '../../core/matrix.js';
import { MtebError } from '../../core/errors.js';
import { einsumDot32, einsumDot64, numpySum32, numpySum64 } from '../numeric/numpy-sum.js';

const SKLEARN_ZERO_NORM = 10 * 2.220446049250313e-16;
const TORCH_NORM_EPS = 1e-12;

export function checkSameShape(a: Matrix, b: Matrix, what: string): void {
  if (a.rows !== b.rows || a.dim !== b.dim) {
    throw new MtebError('E_EMBEDDING_DIM', `${what}: embeddings have shapes ${a.rows}x${a.dim} and ${b.rows}x${b.dim}`);
  }
}

// sklearn row_norms = sqrt(einsum('ij,ij->i')); torch's norm differs only in the last bit.
function rowNorm(m: Matrix, i: number): number {
  return Math.sqrt(einsumDot64(m.data, i * m.dim, m.data, i * m.dim, m.dim));
}

/** sklearn `normalize` divisor: the L2 norm, or 1 for (near-)zero rows. */
export function sklearnNorm(m: Matrix, i: number): number {
  const n = rowNorm(m, i);
  return n < SKLEARN_ZERO_NORM ? 1 : n;
}

/** torch `F.normalize` divisor: max(‖x‖, 1e-12). */
export function torchNorm(m: Matrix, i: number): number {
  return Math.max(rowNorm(m, i), TORCH_NORM_EPS);
}

export function pairedCosine(a: Matrix, b: Matrix): Float64Array {
  checkSameShape(a, b, 'paired cosine');
  const out = new Float64Array(a.rows);
  const d = a.dim;
  const diff = new Float64Array(d);
  for (let i = 0; i < a.rows; i++) {
    const na = sklearnNorm(a, i);
    const nb = sklearnNorm(b, i);
    for (let k = 0; k < d; k++) diff[k] = a.data[i * d + k] / na - b.data[i * d + k] / nb;
    out[i] = 1 - 0.5 * einsumDot64(diff, 0, diff, 0, d);
  }
  return out;
}

export function pairedCosineTorch(a: Matrix, b: Matrix): Float64Array {
  checkSameShape(a, b, 'paired cosine');
  const out = new Float64Array(a.rows);
  const d = a.dim;
  for (let i = 0; i < a.rows; i++) {
    const na = torchNorm(a, i);
    const nb = torchNorm(b, i);
    let s = 0;
    for (let k = 0; k < d; k++) s += (a.data[i * d + k] / na) * (b.data[i * d + k] / nb);
    out[i] = s;
  }
  return out;
}

export function pairedManhattan(a: Matrix, b: Matrix): Float64Array {
  checkSameShape(a, b, 'paired manhattan');
  const out = new Float64Array(a.rows);
  const d = a.dim;
  const diff = new Float64Array(d);
  for (let i = 0; i < a.rows; i++) {
    for (let k = 0; k < d; k++) diff[k] = Math.abs(a.data[i * d + k] - b.data[i * d + k]);
    out[i] = numpySum64(diff);
  }
  return out;
}

export function pairedEuclidean(a: Matrix, b: Matrix): Float64Array {
  checkSameShape(a, b, 'paired euclidean');
  const out = new Float64Array(a.rows);
  const d = a.dim;
  const diff = new Float64Array(d);
  for (let i = 0; i < a.rows; i++) {
    for (let k = 0; k < d; k++) diff[k] = a.data[i * d + k] - b.data[i * d + k];
    out[i] = Math.sqrt(einsumDot64(diff, 0, diff, 0, d));
  }
  return out;
}

export function pairedDot(a: Matrix, b: Matrix): Float64Array {
  checkSameShape(a, b, 'paired dot');
  const out = new Float64Array(a.rows);
  const d = a.dim;
  for (let i = 0; i < a.rows; i++) out[i] = einsumDot64(a.data, i * d, b.data, i * d, d);
  return out;
}

/** A model's own similarity function (ModelMeta.similarity_fn_name), row-wise. */
export type SimilarityFn = 'cosine' | 'dot' | 'euclidean';

/** sentence-transformers / mteb v2 pairwise similarity: torch cosine, dot, or negative euclidean distance. */
export function pairedModelSimilarity(a: Matrix, b: Matrix, fn: SimilarityFn): Float64Array {
  if (fn === 'cosine') return pairedCosineTorch(a, b);
  if (fn === 'dot') return pairedDot(a, b);
  return pairedEuclidean(a, b).map((v) => -v);
}

/**
 * Similarity of every row of `a` to every row of `b` (a.rows x b.rows, row-major): torch-style cosine
 * (mteb `cos_sim`), dot, or negative euclidean distance.
 */
export function similarityMatrix(a: Matrix, b: Matrix, fn: SimilarityFn): Float64Array {
  if (a.dim !== b.dim) {
    throw new MtebError('E_EMBEDDING_DIM', `similarity: embedding dimensions differ (${a.dim} vs ${b.dim})`);
  }
  const d = a.dim;
  const out = new Float64Array(a.rows * b.rows);
  const nb = new Float64Array(b.rows);
  for (let j = 0; j < b.rows; j++) nb[j] = fn === 'cosine' ? torchNorm(b, j) : 1;
  for (let i = 0; i < a.rows; i++) {
    const na = fn === 'cosine' ? torchNorm(a, i) : 1;
    for (let j = 0; j < b.rows; j++) {
      let s = 0;
      if (fn === 'euclidean') {
        for (let k = 0; k < d; k++) {
          const diff = a.data[i * d + k] - b.data[j * d + k];
          s += diff * diff;
        }
        s = -Math.sqrt(s);
      } else if (fn === 'cosine') {
        for (let k = 0; k < d; k++) s += (a.data[i * d + k] / na) * (b.data[j * d + k] / nb[j]);
      } else {
        for (let k = 0; k < d; k++) s += a.data[i * d + k] * b.data[j * d + k];
      }
      out[i * b.rows + j] = s;
    }
  }
  return out;
}

/**
 * float32 variants: what sklearn actually computes when mteb hands it float32 embeddings (sklearn keeps
 * float32 through paired_*_distances), bit-identical to numpy's baseline SSE kernels. `pairedDotF32`
 * (np.dot → BLAS sdot) and the torch similarities only round to float32 in a fixed order, so they can
 * differ from a given BLAS/torch build in the last bit.
 */
const F32_ZERO_NORM = Math.fround(10 * 1.1920928955078125e-7);
const f32 = Math.fround;

function sklearnNormF32(m: Matrix, i: number): number {
  const n = f32(Math.sqrt(einsumDot32(m.data, i * m.dim, m.data, i * m.dim, m.dim)));
  return n < F32_ZERO_NORM ? 1 : n;
}

export function pairedCosineF32(a: Matrix, b: Matrix): Float64Array {
  checkSameShape(a, b, 'paired cosine');
  const out = new Float64Array(a.rows);
  const d = a.dim;
  const diff = new Float32Array(d);
  for (let i = 0; i < a.rows; i++) {
    const na = sklearnNormF32(a, i);
    const nb = sklearnNormF32(b, i);
    for (let k = 0; k < d; k++) diff[k] = f32(a.data[i * d + k] / na) - f32(b.data[i * d + k] / nb);
    out[i] = f32(1 - f32(0.5 * einsumDot32(diff, 0, diff, 0, d)));
  }
  return out;
}

export function pairedManhattanF32(a: Matrix, b: Matrix): Float64Array {
  checkSameShape(a, b, 'paired manhattan');
  const out = new Float64Array(a.rows);
  const d = a.dim;
  const diff = new Float32Array(d);
  for (let i = 0; i < a.rows; i++) {
    for (let k = 0; k < d; k++) diff[k] = Math.abs(a.data[i * d + k] - b.data[i * d + k]);
    out[i] = numpySum32(diff);
  }
  return out;
}

export function pairedEuclideanF32(a: Matrix, b: Matrix): Float64Array {
  checkSameShape(a, b, 'paired euclidean');
  const out = new Float64Array(a.rows);
  const d = a.dim;
  const diff = new Float32Array(d);
  for (let i = 0; i < a.rows; i++) {
    for (let k = 0; k < d; k++) diff[k] = a.data[i * d + k] - b.data[i * d + k];
    out[i] = f32(Math.sqrt(einsumDot32(diff, 0, diff, 0, d)));
  }
  return out;
}

export function pairedDotF32(a: Matrix, b: Matrix): Float64Array {
  checkSameShape(a, b, 'paired dot');
  const out = new Float64Array(a.rows);
  for (let i = 0; i < a.rows; i++) out[i] = einsumDot32(a.data, i * a.dim, b.data, i * b.dim, a.dim);
  return out;
}

/** Model similarity in float32 (torch on float32 tensors), rounded at every step in sequential order. */
export function pairedModelSimilarityF32(a: Matrix, b: Matrix, fn: SimilarityFn): Float64Array {
  checkSameShape(a, b, 'paired similarity');
  const out = new Float64Array(a.rows);
  const d = a.dim;
  for (let i = 0; i < a.rows; i++) {
    let s = 0;
    if (fn === 'euclidean') {
      for (let k = 0; k < d; k++) {
        const diff = f32(a.data[i * d + k] - b.data[i * d + k]);
        s = f32(s + f32(diff * diff));
      }
      out[i] = -f32(Math.sqrt(s));
      continue;
    }
    let na = 1;
    let nb = 1;
    if (fn === 'cosine') {
      let sa = 0;
      let sb = 0;
      for (let k = 0; k < d; k++) {
        sa = f32(sa + f32(a.data[i * d + k] * a.data[i * d + k]));
        sb = f32(sb + f32(b.data[i * d + k] * b.data[i * d + k]));
      }
      na = Math.max(f32(Math.sqrt(sa)), 1e-12);
      nb = Math.max(f32(Math.sqrt(sb)), 1e-12);
    }
    for (let k = 0; k < d; k++) s = f32(s + f32(f32(a.data[i * d + k] / na) * f32(b.data[i * d + k] / nb)));
    out[i] = s;
  }
  return out;
}

/** Which arithmetic the paired scores use: float64 (default), or float32 as mteb runs on float32 embeddings. */
export type Arithmetic = 'float64' | 'float32';

/** The paired score functions of one arithmetic, so evaluators pick float64 or float32 in one place. */
export interface PairedScoreFns {
  cosine: (a: Matrix, b: Matrix) => Float64Array;
  manhattan: (a: Matrix, b: Matrix) => Float64Array;
  euclidean: (a: Matrix, b: Matrix) => Float64Array;
  dot: (a: Matrix, b: Matrix) => Float64Array;
  modelSimilarity: (a: Matrix, b: Matrix, fn: SimilarityFn) => Float64Array;
}

const PAIRED_F64: PairedScoreFns = {
  cosine: pairedCosine,
  manhattan: pairedManhattan,
  euclidean: pairedEuclidean,
  dot: pairedDot,
  modelSimilarity: pairedModelSimilarity,
};
const PAIRED_F32: PairedScoreFns = {
  cosine: pairedCosineF32,
  manhattan: pairedManhattanF32,
  euclidean: pairedEuclideanF32,
  dot: pairedDotF32,
  modelSimilarity: pairedModelSimilarityF32,
};

export function pairedScoreFns(arithmetic: Arithmetic = 'float64'): PairedScoreFns {
  return arithmetic === 'float32' ? PAIRED_F32 : PAIRED_F64;
}
