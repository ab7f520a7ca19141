/** This type's metrics (pure functions; their home stays src/metrics/retrieval/, shared with the metrics CLI and library users). */
export * from '../../metrics/retrieval/index.js';
