import { RETRIEVAL_SCORING_DEFAULTS, RETRIEVAL_SCORING_FIELDS } from '../schema/common.js';
import { typeSchema } from '../schema/kit.js';

/** v1 (rows) and v2 (retrieval format, scored as retrieval) share the type; the v2 fields are retrieval's. */
export const RERANKING_SCHEMA = typeSchema('Reranking', RETRIEVAL_SCORING_FIELDS, { defaults: RETRIEVAL_SCORING_DEFAULTS });
