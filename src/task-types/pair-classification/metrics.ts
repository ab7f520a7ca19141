/** This type's metrics (pure functions; their home stays src/metrics/pair-classification/, shared with the metrics CLI and library users). */
export * from '../../metrics/pair-classification/index.js';
