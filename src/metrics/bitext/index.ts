export { evaluateBitextMining, nearestNeighbours, type BitextOptions, type BitextResult } from './evaluate.js';
