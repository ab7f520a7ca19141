/** This type's metrics (pure functions; their home stays src/metrics/clustering/, shared with the metrics CLI and library users). */
export * from '../../metrics/clustering/index.js';
