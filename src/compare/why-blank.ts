import { whyMissing } from '../leaderboard/why-missing.js';
import type { TaskScore } from '../leaderboard/types.js';
import type { TaskDelta } from './types.js';

/**
 * Why a task's delta is blank: which side lacks the score and why (the file's split/subset/metric reason, or
 * no file), e.g. `missing on the candidate (no split "dev" (has ["test"]))`; null when both sides have one.
 */
export function taskBlankReason(a: TaskScore | undefined, b: TaskScore | undefined): string | null {
  const missA = !a || a.value === null;
  const missB = !b || b.value === null;
  if (!missA && !missB) return null;
  if (missA && missB) {
    const x = whyMissing(a).short;
    const y = whyMissing(b).short;
    return x === y ? `missing on both sides (${x})` : `missing on both sides (baseline: ${x}; candidate: ${y})`;
  }
  return missA ? `missing on the baseline (${whyMissing(a).short})` : `missing on the candidate (${whyMissing(b).short})`;
}

/**
 * Why a category's (or the average's) delta is blank: how many of its tasks each side lacks (the task rows say
 * which and why), e.g. `7 of 8 task(s) missing on both sides` or `baseline lacks 2 of 8 task(s), candidate 1`.
 */
export function categoryBlankReason(tasks: TaskDelta[]): string | null {
  const a = tasks.filter((t) => t.baseline === null);
  const b = tasks.filter((t) => t.candidate === null);
  if (!a.length && !b.length) return null;
  const same = a.length === b.length && a.every((t, i) => t === b[i]);
  if (same) return `${a.length} of ${tasks.length} task(s) missing on both sides`;
  if (!b.length) return `baseline lacks ${a.length} of ${tasks.length} task(s)`;
  if (!a.length) return `candidate lacks ${b.length} of ${tasks.length} task(s)`;
  return `baseline lacks ${a.length}, candidate ${b.length} of ${tasks.length} task(s)`;
}
