import { existsSync } from 'node:fs';
import path from 'node:path';

/** CI keeps shared/ beside the clone; locally it is /work/shared (same relative place). */
export const SHARED = path.resolve(process.cwd(), '..', 'shared');
export const RESULTS = path.join(SHARED, 'mteb-results');
export const REMOVED = path.join(SHARED, 'mteb-results-removed-pr364');
export const HAVE_SHARED = existsSync(RESULTS) && existsSync(REMOVED);
/** The self-reported view: the authors' removed files first, then model-card files, then revision folders. */
export const SELF_REPORTED = { prefer: [REMOVED, 'external'] };
