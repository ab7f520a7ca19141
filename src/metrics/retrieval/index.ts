export { evaluateRetrieval, toColumns, validateKValues, validateQrels } from './evaluate.js';
export { evaluateMaxOverSubqueries, mergeSubqueries, subqueryBase } from './subqueries.js';
export { parseJsonDict, parseTrecQrels, parseTrecRun, readQrels, readRun } from './readers.js';
export { compareCodePoints, trecSim } from './order.js';
export { confidenceScores, nauc } from './nauc.js';
export * from './types.js';
