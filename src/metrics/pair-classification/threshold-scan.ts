/**
 * mteb's PairClassification threshold scans (`find_best_acc_and_threshold`, `find_best_f1_and_threshold`),
 * identical in 1.12 through 2.x. Rows are sorted by score with Python's stable sort (descending for
 * similarities, ascending for distances; ties keep input order), every prefix rows[0..i] (i ≤ n−2) is
 * "predicted positive", only strictly better values replace the best, and a threshold is the midpoint of
 * rows i and i+1 — computed in float32 when mteb holds the scores as numpy float32 (`float32Midpoint`).
 */

function midpoint(a: number, b: number, float32: boolean): number {
  return float32 ? Math.fround(Math.fround(a + b) / 2) : (a + b) / 2;
}

function sortedOrder(scores: ArrayLike<number>, highMoreSimilar: boolean): number[] {
  const idx = Array.from({ length: scores.length }, (_, i) => i);
  // Array.prototype.sort is stable, so equal scores keep their input order, as Python's sorted(reverse=...) does.
  return highMoreSimilar ? idx.sort((i, j) => scores[j] - scores[i]) : idx.sort((i, j) => scores[i] - scores[j]);
}

export function bestAccuracyAndThreshold(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
  highMoreSimilar: boolean,
  float32Midpoint = false,
): { accuracy: number; threshold: number } {
  const n = labels.length;
  const order = sortedOrder(scores, highMoreSimilar);
  let maxAcc = 0;
  let bestThreshold = -1;
  let positiveSoFar = 0;
  let remainingNegatives = 0;
  for (let i = 0; i < n; i++) if (labels[i] === 0) remainingNegatives++;
  for (let i = 0; i < n - 1; i++) {
    if (labels[order[i]] === 1) positiveSoFar++;
    else remainingNegatives--;
    const acc = (positiveSoFar + remainingNegatives) / n;
    if (acc > maxAcc) {
      maxAcc = acc;
      bestThreshold = midpoint(scores[order[i]], scores[order[i + 1]], float32Midpoint);
    }
  }
  return { accuracy: maxAcc, threshold: bestThreshold };
}

export function bestF1AndThreshold(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
  highMoreSimilar: boolean,
  float32Midpoint = false,
): { f1: number; precision: number; recall: number; threshold: number } {
  const n = labels.length;
  const order = sortedOrder(scores, highMoreSimilar);
  let best = { f1: 0, precision: 0, recall: 0, threshold: 0 };
  let totalPositives = 0;
  for (let i = 0; i < n; i++) totalPositives += labels[i];
  let nextract = 0;
  let ncorrect = 0;
  for (let i = 0; i < n - 1; i++) {
    nextract++;
    if (labels[order[i]] === 1) ncorrect++;
    if (ncorrect > 0) {
      const precision = ncorrect / nextract;
      const recall = ncorrect / totalPositives;
      const f1 = (2 * precision * recall) / (precision + recall);
      if (f1 > best.f1) {
        best = { f1, precision, recall, threshold: midpoint(scores[order[i]], scores[order[i + 1]], float32Midpoint) };
      }
    }
  }
  return best;
}
