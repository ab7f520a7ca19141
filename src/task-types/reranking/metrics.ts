/** This type's metrics (pure functions; their home stays src/metrics/reranking/, shared with the metrics CLI and library users). */
export * from '../../metrics/reranking/index.js';
