/**
 * The `nauc_*` abstention keys of mteb 2.x retrieval (`evaluate_abstention` in
 * mteb/_evaluators/retrieval_metrics.py). The arithmetic is shared with 1.x's `nAUC_*` in ../stats/nauc.ts;
 * the evaluator sorts each confidence once and reuses the orders across metrics and cutoffs.
 */
import { confidenceTriple, nAUC } from '../stats/nauc.js';

export { abstentionCurve, naucFromCurves, stableArgsort } from '../stats/nauc.js';

export const CONFIDENCE_FUNCTIONS = ['max', 'std', 'diff1'] as const;
export type ConfidenceFunction = (typeof CONFIDENCE_FUNCTIONS)[number];

/** Confidence scores of one query from its run scores in run order (zeros for an empty run). */
export const confidenceScores = confidenceTriple;

/** mteb `nauc(conf_scores, metrics)`. */
export const nauc = nAUC;
