/**
 * `mteb-ts/metrics`: the scoring functions, one namespace per task type (their helper names overlap, e.g. two
 * `Label` types, two `confidenceScores`), plus each type's entry point at top level. Pure functions over arrays:
 * importing this loads no native package.
 */
export * as retrieval from '../metrics/retrieval/index.js';
export * as reranking from '../metrics/reranking/index.js';
export * as classification from '../metrics/classification/index.js';
export * as clustering from '../metrics/clustering/index.js';
export * as pairClassification from '../metrics/pair-classification/index.js';
export * as sts from '../metrics/sts/index.js';
export * as summarization from '../metrics/summarization/index.js';
export * as bitextMining from '../metrics/bitext/index.js';
export * as stats from '../metrics/stats/index.js';
export * as numeric from '../metrics/numeric/index.js';

export { evaluateRetrieval, evaluateMaxOverSubqueries, readQrels, readRun } from '../metrics/retrieval/index.js';
export type { Qrels, Run, EvaluateOptions as RetrievalOptions, RetrievalResult } from '../metrics/retrieval/index.js';
export { evaluateRerankingLegacy } from '../metrics/reranking/index.js';
export { evaluateClassification } from '../metrics/classification/index.js';
export { evaluateLegacyClustering, evaluateFastClustering } from '../metrics/clustering/index.js';
export { evaluatePairClassification } from '../metrics/pair-classification/index.js';
export { evaluateSTS } from '../metrics/sts/index.js';
export { evaluateSummarization } from '../metrics/summarization/index.js';
export { evaluateBitextMining } from '../metrics/bitext/index.js';
