import { RETRIEVAL_SCORING_DEFAULTS, RETRIEVAL_SCORING_FIELDS } from '../schema/common.js';
import { typeSchema } from '../schema/kit.js';

export const RETRIEVAL_SCHEMA = typeSchema('Retrieval', RETRIEVAL_SCORING_FIELDS, { defaults: RETRIEVAL_SCORING_DEFAULTS });
