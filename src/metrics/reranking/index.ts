export {
  evaluateRerankingLegacy,
  rerankingRowScores,
  type RerankingRow,
  type RerankingLegacyOptions,
  type RerankingLegacyResult,
} from './evaluate.js';
