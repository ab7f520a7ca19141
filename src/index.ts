/**
 * The package root (`import { runEvaluation } from 'mteb-ts'`): what the CLI does, as typed functions. Each
 * concern also has its own subpath with more of its surface: `mteb-ts/metrics`, `mteb-ts/embedders`,
 * `mteb-ts/report`, `mteb-ts/search`, `mteb-ts/registry`, `mteb-ts/cache` (src/public/*.ts). Importing any of them loads no
 * native package; onnxruntime-node, hnswlib-node and koffi load when a feature that needs them runs.
 */
export { runEvaluation, type RunOptions, type RunSummary, type TaskOutcome } from './run/runner.js';
export { resolveEmbedder, type ResolveOptions } from './embedders/resolve.js';
export type { Embedder, EmbedOptions, ModelMeta, Role } from './core/embedder.js';
export {
  buildLeaderboard,
  renderReport,
  compareRuns,
  evaluateGate,
  gateExitCode,
  DEFAULT_GATE_RULES,
  type BuildOptions,
  type Leaderboard,
  type ModelRow,
  type TaskScore,
  type CompareOptions,
  type Comparison,
  type GateRules,
  type GateVerdict,
} from './public/report.js';
export {
  evaluateRetrieval,
  evaluateRerankingLegacy,
  evaluateClassification,
  evaluateLegacyClustering,
  evaluateFastClustering,
  evaluatePairClassification,
  evaluateSTS,
  evaluateSummarization,
  evaluateBitextMining,
  type Qrels,
  type Run,
  type RetrievalOptions,
  type RetrievalResult,
} from './public/metrics.js';
export { getTask, listTasks, getBenchmark, loadTaskFile, type TaskSpec, type TaskType, type Protocol } from './public/registry.js';
export type { ResultFile } from './output/result-file.js';
export { MtebError, isMtebError, formatError, type ErrorCode, type ErrorLocation } from './core/errors.js';
export { MissingDependencyError } from './native/optional-module.js';
