/**
 * Score engines for exact search, by concern under src/search/engines/: the interface (types.ts), the factory
 * behind `--search-engine` (factory.ts), onnxruntime (onnx-engine.ts with its in-process and worker runners)
 * and the plain-JS reference (js-engine.ts); the BLAS engine lives in src/search/blas/. This module keeps the
 * import path every caller uses.
 */
export { ENGINE_NAMES, type EngineName, type ScoreEngine, type TopKResult } from './engines/types.js';
export { createScoreEngine } from './engines/factory.js';
export { JsEngine } from './engines/js-engine.js';
