import os from 'node:os';
import { MtebError } from '../../core/errors.js';
import { loadOnnxruntime } from '../../native/optional-module.js';
import { JsEngine } from './js-engine.js';
import type { EngineName, ScoreEngine } from './types.js';

/**
 * `auto` (default): the BLAS engine when a fast CBLAS library loads (OpenBLAS, BLIS, MKL, Accelerate) through
 * koffi, else onnxruntime. `blas` insists (E_PROVIDER_UNAVAILABLE with the install command, or
 * E_DEPENDENCY_MISSING without koffi); `onnx` and the `auto` fallback need onnxruntime-node (E_DEPENDENCY_MISSING
 * naming `npm install onnxruntime-node` without it); `js` is the plain-loop reference for tests.
 */
export async function createScoreEngine(name: EngineName, threads?: number, blasLibrary?: string): Promise<ScoreEngine> {
  if (name === 'js') return new JsEngine();
  if (name === 'blas' || name === 'auto') {
    const { BlasEngine } = await import('../blas/blas-engine.js');
    try {
      return BlasEngine.create(threads, blasLibrary);
    } catch (e) {
      const unavailable = e instanceof MtebError && (e.code === 'E_PROVIDER_UNAVAILABLE' || e.code === 'E_DEPENDENCY_MISSING');
      if (name === 'blas' || !unavailable) throw e;
    }
  }
  const feature =
    name === 'auto' ? 'exact search (--search-engine auto found no system BLAS, so it uses onnxruntime; --search-engine js needs nothing)' : 'exact search with --search-engine onnx';
  const ort = await loadOnnxruntime(feature);
  // Loaded here, not at the top: the onnx engine's graph builder brings onnx-proto, which nothing else needs.
  const { openOnnxEngine } = await import('./onnx-open.js');
  return openOnnxEngine(ort, threads ?? os.availableParallelism());
}

