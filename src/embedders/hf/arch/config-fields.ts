import { join } from 'node:path';
import { MtebError } from '../../../core/errors.js';
import type { HfCheckpoint } from '../checkpoint.js';

/**
 * Typed reads of config.json numbers for the architecture readers: each refusal is one E_MODEL_LOAD naming
 * config.json and the field.
 */
export function configFields(ck: HfCheckpoint) {
  const file = join(ck.dir, 'config.json');
  const c = ck.config;
  return {
    file,
    /** An integer >= `min` (0 or 1), `dflt` when absent. */
    int(key: string, dflt?: number, min: 0 | 1 = 0): number {
      const v = c[key] ?? dflt;
      if (typeof v !== 'number' || !Number.isInteger(v) || v < min) {
        throw new MtebError('E_MODEL_LOAD', `"${key}" must be a ${min ? 'positive' : 'non-negative'} integer`, { file, field: key });
      }
      return v;
    },
    /** A number > 0, `dflt` when absent. */
    positive(key: string, dflt: number): number {
      const v = c[key] ?? dflt;
      if (typeof v !== 'number' || !(v > 0)) throw new MtebError('E_MODEL_LOAD', `"${key}" must be a positive number`, { file, field: key });
      return v;
    },
  };
}
