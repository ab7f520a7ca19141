/** This type's metrics (pure functions; their home stays src/metrics/classification/, shared with the metrics CLI and library users). */
export * from '../../metrics/classification/index.js';
