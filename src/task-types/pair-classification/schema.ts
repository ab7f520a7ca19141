import { typeSchema } from '../schema/kit.js';

export const PAIR_CLASSIFICATION_SCHEMA = typeSchema('PairClassification', {});
