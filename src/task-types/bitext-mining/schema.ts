import { typeSchema } from '../schema/kit.js';

export const BITEXT_MINING_SCHEMA = typeSchema('BitextMining', {});
