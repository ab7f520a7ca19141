/**
 * `mteb-ts/search`: exact (BLAS via koffi, onnxruntime or JS) and HNSW (hnswlib-node) top-k search with
 * canonical scores. The engines' native packages are optional dependencies, loaded when a search first runs.
 */
export * from '../search/index.js';
export { createScoreEngine, ENGINE_NAMES, type EngineName, type ScoreEngine, type TopKResult } from '../search/score-engine.js';
