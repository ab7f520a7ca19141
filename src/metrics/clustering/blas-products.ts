/**
 * Where k-means' approximate scores come from: the system BLAS's SGEMM when one loads (the same libraries and
 * MTEB_TS_BLAS choice as the exact search's BLAS engine), else dense64's own float32 SIMD products. Either way
 * the products only pre-select: kmeans32.ts bounds their error for any summation order and every close row is
 * replayed with the exact float32 chain, so labels, centres and inertia never depend on this choice. The same
 * library's DSYRK gives k-means++ its dot products (gram-dots.ts certifies each distance it derives).
 */
import { createRequire } from 'node:module';
import { MtebError } from '../../core/errors.js';
import { loadCblas } from '../../search/blas/cblas.js';

/** An SGEMM: C (m × n, rows `ldc` floats apart) = A (m × k) · Bᵀ (B is n × k), row-major float32. */
export interface ScoreProducts {
  /** e.g. "OpenBLAS 0.3.21 Haswell" (benches print it). */
  readonly description: string;
  sgemmABtSync(m: number, n: number, k: number, a: Float32Array, b: Float32Array, c: Float32Array, ldc: number): void;
  /**
   * C (n × n, row-major) gets the lower triangle (j <= i) of A·Aᵀ, A n × k float64 (a DSYRK), for k-means++'s
   * candidate distances (minibatch-kmeans.ts certifies each value against the fixed-order dot product's rounding).
   * Optional: without it k-means++ runs on dense64's fixed-order products.
   */
  dsyrkLower?(n: number, k: number, a: Float64Array, c: Float64Array): void;
  /**
   * Set when the worker threads may call the same library themselves (it runs one thread per call, as the
   * search engine runs it): koffi's entry file and the library as loaded. Then a product is split by rows.
   */
  readonly threaded?: { koffi: string; library: string };
}

/**
 * 'auto' (default): the system BLAS when one loads (MTEB_TS_BLAS names one; MTEB_TS_BLAS=off, or any name that
 * does not load, leaves the WebAssembly products); 'off': the WebAssembly products; or an SGEMM object (tests).
 */
export type KMeansProductsOption = 'auto' | 'off' | ScoreProducts;

let auto: { env: string | undefined; products: ScoreProducts | undefined } | undefined;

export function resolveScoreProducts(option: KMeansProductsOption = 'auto'): ScoreProducts | undefined {
  if (option === 'off') return undefined;
  if (option !== 'auto') return option;
  const env = process.env.MTEB_TS_BLAS;
  // Looked up once per MTEB_TS_BLAS value: a failed load is not retried on every fit.
  if (auto && auto.env === env) return auto.products;
  let products: ScoreProducts | undefined;
  if (env?.toLowerCase() !== 'off') {
    try {
      const blas = loadCblas();
      const sync = blas.sgemmABtSync;
      const koffiPath = createRequire(import.meta.url).resolve('koffi');
      const threaded = blas.perCallThreads ? { koffi: koffiPath, library: blas.library } : undefined;
      if (sync) products = { description: blas.description, threaded, sgemmABtSync: (m, n, k, a, b, c, ldc) => sync(m, n, k, a, b, c, ldc), dsyrkLower: dsyrk(koffiPath, blas.library) };
    } catch (e) {
      const unavailable = e instanceof MtebError && (e.code === 'E_PROVIDER_UNAVAILABLE' || e.code === 'E_DEPENDENCY_MISSING');
      if (!unavailable) throw e;
    }
  }
  auto = { env, products };
  return products;
}

/**
 * `cblas_dsyrk` of the library the SGEMM came from (koffi returns the loaded library again), or undefined when it
 * lacks one. Runs on the calling thread with the library's thread count as loadCblas set it (one per call).
 */
function dsyrk(koffiPath: string, library: string): ScoreProducts['dsyrkLower'] {
  try {
    const koffi = createRequire(import.meta.url)(koffiPath);
    const f = koffi.load(library).func(
      'void cblas_dsyrk(int order, int uplo, int trans, int N, int K, double alpha, const double *A, int lda, double beta, double *C, int ldc)',
    );
    // CblasRowMajor, CblasLower, CblasNoTrans
    return (n, k, a, c) => f(101, 122, 111, n, k, 1, a, k, 0, c, n);
  } catch {
    return undefined;
  }
}
