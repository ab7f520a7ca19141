/** This type's metrics (pure functions; their home stays src/metrics/sts/, shared with the metrics CLI and library users). */
export * from '../../metrics/sts/index.js';
