import { MtebError } from '../../core/errors.js';
import { requireOptional } from '../../native/optional-module.js';

/**
 * The system's CBLAS `cblas_sgemm` through koffi (an FFI package with prebuilt binaries: nothing to compile).
 * Only libraries known to be fast are tried by default (OpenBLAS, BLIS, MKL, Apple Accelerate): the reference
 * BLAS behind a bare libblas.so.3 is 10-50× slower than onnxruntime. `MTEB_TS_BLAS=/path/lib.so` (or the
 * `--blas-lib` option) names any CBLAS explicitly.
 */
export interface Cblas {
  /** What was loaded: the file name as opened. */
  readonly library: string;
  /** e.g. "OpenBLAS 0.3.21 SkylakeX" (kept next to results). */
  readonly description: string;
  /**
   * True when the library's own threading could be pinned to one thread, so concurrent calls (one per core)
   * each run on their own core; false when the library threads itself (run one call at a time).
   */
  readonly perCallThreads: boolean;
  /** C (m × n) = A (m × k) · Bᵀ (B is n × k), all row-major float32, on a worker thread. */
  sgemmABt(m: number, n: number, k: number, a: Float32Array, b: Float32Array, c: Float32Array): Promise<void>;
  /**
   * The same product on the calling thread, for synchronous callers (k-means' steps), C's rows `ldc` floats
   * apart (default n). The library runs it with the threads set at load (one, where `perCallThreads`).
   * Optional only so that stand-in engines (tests) need not implement it; loadCblas's always has it.
   */
  sgemmABtSync?(m: number, n: number, k: number, a: Float32Array, b: Float32Array, c: Float32Array, ldc?: number): void;
}

const CANDIDATES: Record<string, string[]> = {
  linux: ['libopenblas.so.0', 'libopenblas.so', 'libblis.so.4', 'libblis.so', 'libmkl_rt.so.2', 'libmkl_rt.so'],
  darwin: [
    '/opt/homebrew/opt/openblas/lib/libopenblas.dylib',
    '/usr/local/opt/openblas/lib/libopenblas.dylib',
    '/System/Library/Frameworks/Accelerate.framework/Accelerate',
  ],
  win32: ['libopenblas.dll', 'openblas.dll', 'mkl_rt.2.dll'],
};

export function blasCandidates(explicit?: string): string[] {
  const named = explicit ?? process.env.MTEB_TS_BLAS;
  if (named) return [named];
  return CANDIDATES[process.platform] ?? [];
}

const cache = new Map<string, Cblas>();

/** Loads the first CBLAS that opens; E_PROVIDER_UNAVAILABLE naming every library tried otherwise. */
export function loadCblas(explicit?: string): Cblas {
  const names = blasCandidates(explicit);
  const key = names.join('|');
  const hit = cache.get(key);
  if (hit) return hit;
  // koffi is an optional dependency: MissingDependencyError (E_DEPENDENCY_MISSING) when absent, which
  // `--search-engine auto` treats like a missing BLAS library (it falls back to onnxruntime).
  const koffi: any = requireOptional('koffi', 'the BLAS search engine (--search-engine blas)');
  const tried: string[] = [];
  for (const name of names) {
    let lib: any;
    try {
      lib = koffi.load(name);
    } catch (e) {
      tried.push(`${name} (${String((e as Error).message).split('\n')[0]})`);
      continue;
    }
    try {
      const blas = bind(koffi, lib, name);
      cache.set(key, blas);
      return blas;
    } catch (e) {
      tried.push(`${name} (${(e as Error).message})`);
    }
  }
  const hint =
    process.platform === 'darwin'
      ? 'Accelerate ships with macOS; or `brew install openblas`'
      : 'install OpenBLAS (Debian/Ubuntu: `apt-get install libopenblas0-pthread`; Fedora: `dnf install openblas`)';
  throw new MtebError(
    'E_PROVIDER_UNAVAILABLE',
    `no CBLAS library for the BLAS search engine: tried ${tried.join('; ') || 'nothing (unsupported platform)'}. ` +
      `${hint}, point MTEB_TS_BLAS at a CBLAS library, or use --search-engine onnx`,
  );
}

const ROW_MAJOR = 101;
const NO_TRANS = 111;
const TRANS = 112;

function bind(koffi: any, lib: any, name: string): Cblas {
  const sgemm = lib.func(
    'void cblas_sgemm(int order, int transA, int transB, int M, int N, int K, float alpha, const float *A, int lda, const float *B, int ldb, float beta, float *C, int ldc)',
  );
  const optional = (decl: string) => {
    try {
      return lib.func(decl);
    } catch {
      return undefined;
    }
  };
  let description = name.replace(/^.*[\\/]/, '');
  let perCallThreads = false;
  const openblasThreads = optional('void openblas_set_num_threads(int n)');
  if (openblasThreads) {
    openblasThreads(1);
    perCallThreads = true;
    const config = optional('const char *openblas_get_config()')?.() as string | undefined;
    const core = optional('const char *openblas_get_corename()')?.() as string | undefined;
    const version = /OpenBLAS\s+([\d.]+)/.exec(config ?? '')?.[1];
    description = `OpenBLAS${version ? ' ' + version : ''}${core ? ' ' + core : ''}`;
  } else {
    const mklThreads = optional('void MKL_Set_Num_Threads(int n)');
    const blisThreads = optional('void bli_thread_set_num_threads(int64_t n)');
    if (mklThreads) {
      mklThreads(1);
      perCallThreads = true;
      description = 'Intel MKL';
    } else if (blisThreads) {
      blisThreads(1);
      perCallThreads = true;
      description = 'BLIS';
    } else if (/Accelerate/.test(name)) {
      description = 'Apple Accelerate';
    }
  }
  return {
    library: name,
    description,
    perCallThreads,
    sgemmABt(m, n, k, a, b, c) {
      return new Promise<void>((resolve, reject) => {
        sgemm.async(ROW_MAJOR, NO_TRANS, TRANS, m, n, k, 1, a, k, b, k, 0, c, n, (err: unknown) => (err ? reject(err) : resolve()));
      });
    },
    sgemmABtSync(m, n, k, a, b, c, ldc = n) {
      sgemm(ROW_MAJOR, NO_TRANS, TRANS, m, n, k, 1, a, k, b, k, 0, c, ldc);
    },
  };
}
