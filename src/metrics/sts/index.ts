export { evaluateSTS, type STSOptions, type STSResult } from './evaluate.js';
