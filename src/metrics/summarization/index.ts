export {
  evaluateSummarization,
  type SummarizationDoc,
  type SummarizationOptions,
  type SummarizationResult,
} from './evaluate.js';
