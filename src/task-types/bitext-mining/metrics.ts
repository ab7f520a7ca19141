/** This type's metrics (pure functions; their home stays src/metrics/bitext/, shared with the metrics CLI and library users). */
export * from '../../metrics/bitext/index.js';
