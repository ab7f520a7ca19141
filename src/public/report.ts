/**
 * `mteb-ts/report`: leaderboards from result folders (ours or official mteb ones), checkpoint comparison with
 * paired significance tests, the CI gate, and their renderers (table, markdown, html, json, junit).
 */
export { buildLeaderboard, getBenchmarkRules, benchmarkNames } from '../leaderboard/index.js';
export { renderReport, renderComparison, renderGate } from '../../reports/index.js';
export type { BuildOptions, Leaderboard, ModelRow, TaskScore } from '../leaderboard/index.js';
export { compareRuns, type CompareOptions } from '../compare/compare.js';
export type { Comparison, TaskDelta, CategoryDelta, Mismatch, MismatchField, TestKind } from '../compare/types.js';
export { pairedRandomizationTest, pairedBootstrap } from '../compare/paired-tests.js';
export { evaluateGate, gateExitCode, DEFAULT_GATE_RULES, type GateRules, type GateVerdict, type Violation } from '../gate/gate.js';
