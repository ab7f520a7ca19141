/**
 * Library entry for leaderboards: `buildLeaderboard(sources, { benchmark })`. Rendering is the presentation
 * layer's job (`renderReport(lb, format)` in reports/index.ts), which imports this one, never the reverse.
 */
export { buildLeaderboard } from './build.js';
export type { BuildOptions } from './build.js';
export type { Leaderboard, ModelRow, TaskScore } from './types.js';
export { getBenchmarkRules, benchmarkNames, MTEB_ENG_V1, MTEB_ENG_V2 } from './rules.js';
