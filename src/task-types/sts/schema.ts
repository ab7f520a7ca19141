import { num } from '../schema/checks.js';
import { field, typeSchema } from '../schema/kit.js';

/** Gold scores are normalised from [min_score, max_score] (mteb's default 0..5). */
export const STS_SCHEMA = typeSchema(
  'STS',
  { min_score: field<number>(num), max_score: field<number>(num) },
  { defaults: { min_score: 0, max_score: 5 } },
);
