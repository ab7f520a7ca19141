/**
 * The native canonical kernel (canonical-native.c, prebuilt as canonical-native.linux-x64.so): the same bits as
 * canonical.wasm's scorePairs, read straight from the chunks' own Float32Arrays (koffi passes a typed array as a
 * pointer to its data, no copy), on AVX-512 or AVX2 with FMA. Undefined where it does not load (another platform,
 * koffi missing, MTEB_TS_NATIVE=0, a stale build) or the CPU has neither: the scorer then runs canonical.wasm.
 */
import { promisify } from 'node:util';
import { MtebError } from '../../core/errors.js';
import { openNativeLibrary, usableLevel } from '../../native/native-library.js';

export type NativeIsa = 'avx512' | 'avx2';

/** One call's work: pairs [from, to) of `pairs` (row, query, position triples, sorted by row). */
export interface PairsCall {
  /** The resident rows, by segment: row r lives in segs[s] at (r - segBase[s]) * dim, segBase ascending. */
  segs: Float32Array[];
  segBase: Int32Array;
  /** Query i at queries[i * dim ..], its canonical norm qnorms[i]. */
  queries: Float32Array;
  qnorms: Float64Array;
  pairs: Int32Array;
  from: number;
  to: number;
  dim: number;
  cosine: boolean;
  /** Scores go to out[position]. */
  out: Float32Array;
  /** dim float64s of this call's own (a widened row). */
  scratch: Float64Array;
}

export interface NativeKernel {
  readonly isa: NativeIsa;
  /** Scores on the calling thread. */
  scorePairs(c: PairsCall): void;
  /** Scores on one of koffi's worker threads (the arrays must stay alive and unchanged until it settles). */
  scorePairsAsync(c: PairsCall): Promise<void>;
  /** out[i] = canonicalNorm of query i (rows of `dim` values), the same bits. */
  norms(queries: Float32Array, m: number, dim: number, out: Float64Array): void;
}

const SIGNATURE = (isa: NativeIsa) =>
  `void mteb_canonical_score_pairs_${isa}(const float **segs, const int32_t *seg_base, int32_t nseg, const float *queries, ` +
  'const double *qnorms, const int32_t *pairs, int32_t from, int32_t to, int32_t dim, int32_t cosine, float *out, double *scratch)';

const kernels = new Map<NativeIsa, NativeKernel | null>();

/** The instruction sets this CPU runs the native kernel with, best first (none when it is unavailable). */
export function nativeIsas(): NativeIsa[] {
  // Asked on every call: MTEB_TS_NATIVE=0 (off) or =avx2 (capped) set later in the process (tests, benches) applies.
  const lib = openNativeLibrary(new URL('./canonical-native', import.meta.url));
  if (!lib) return [];
  const usable = usableLevel(lib, 'mteb_canonical_level');
  return usable >= 2 ? ['avx512', 'avx2'] : usable >= 1 ? ['avx2'] : [];
}

/** The native kernel for `isa` (default: the best this CPU runs), or undefined (see the file comment). */
export function nativeKernel(isa: NativeIsa | undefined = nativeIsas()[0]): NativeKernel | undefined {
  if (!isa || !nativeIsas().includes(isa)) return undefined;
  const cached = kernels.get(isa);
  if (cached !== undefined) return cached ?? undefined;
  let kernel: NativeKernel | null = null;
  try {
    const lib = openNativeLibrary(new URL('./canonical-native', import.meta.url))!.lib;
    const fn = lib.func(SIGNATURE(isa));
    const norms = lib.func(`void mteb_canonical_norms_${isa}(const float *queries, int32_t m, int32_t dim, double *out)`);
    const call = promisify(fn.async) as (...a: unknown[]) => Promise<void>;
    const args = (c: PairsCall) =>
      [c.segs, c.segBase, c.segs.length, c.queries, c.qnorms, c.pairs, c.from, c.to, c.dim, c.cosine ? 1 : 0, c.out, c.scratch] as const;
    kernel = {
      isa,
      scorePairs: (c) => void fn(...args(c)),
      scorePairsAsync: (c) => call(...args(c)),
      norms: (queries, m, dim, out) => {
        if (queries.length < m * dim || out.length < m) throw new MtebError('E_INTERNAL', `native norms: ${m} x ${dim} values do not fit the arrays`);
        norms(queries, m, dim, out);
      },
    };
  } catch {
    kernel = null;
  }
  kernels.set(isa, kernel);
  return kernel ?? undefined;
}
