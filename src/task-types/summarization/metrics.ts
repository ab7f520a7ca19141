/** This type's metrics (pure functions; their home stays src/metrics/summarization/, shared with the metrics CLI and library users). */
export * from '../../metrics/summarization/index.js';
