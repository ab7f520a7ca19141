import { num, oneOf } from '../schema/checks.js';
import { field, typeSchema } from '../schema/kit.js';

/**
 * Relevance range as STS's; `summarization_variant`: 'legacy' = SummEval's (mean rho + mean p)/2 value mteb still
 * reports; 'fixed' = .v2.
 */
export const SUMMARIZATION_SCHEMA = typeSchema(
  'Summarization',
  { min_score: field<number>(num), max_score: field<number>(num), summarization_variant: field<'legacy' | 'fixed'>(oneOf('legacy', 'fixed')) },
  { defaults: { min_score: 0, max_score: 5, summarization_variant: 'fixed' } },
);
