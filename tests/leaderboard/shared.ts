import path from 'node:path';

/**
 * Official mteb result files of NV-Embed-v1/v2, e5-mistral and SFR-Embedding-Mistral (from ../shared, trimmed to
 * the keys the rules read by fixtures/results/official/trim.py), committed so the tests run on a fresh clone.
 */
export const SHARED = path.resolve(process.cwd(), 'fixtures', 'results', 'official');
export const RESULTS = path.join(SHARED, 'mteb-results');
export const REMOVED = path.join(SHARED, 'mteb-results-removed-pr364');
export const HAVE_SHARED = true;
/**
 * The self-reported view: the authors' removed files first, then model-card files, then revision folders; the
 * model-card MSMARCO file labels its only split "test", accepted as "dev" (what the papers did).
 */
export const SELF_REPORTED = { prefer: [REMOVED, 'external'], acceptSplitMislabels: true };
