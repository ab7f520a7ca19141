/** Library entry for leaderboards: `buildLeaderboard(sources, { benchmark })` then `renderReport(lb, format)`. */
export { buildLeaderboard } from './build.js';
export type { BuildOptions } from './build.js';
export type { Leaderboard, ModelRow, TaskScore } from './types.js';
export { getBenchmarkRules, benchmarkNames, MTEB_ENG_V1, MTEB_ENG_V2 } from './rules.js';
export { renderReport, renderComparison, renderGate } from '../../reports/index.js';
