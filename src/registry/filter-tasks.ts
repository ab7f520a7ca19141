/**
 * mteb's task filters, applied to an already selected list of tasks: `--eval-splits` (mteb's
 * `AbsTask.filter_eval_splits`), `--languages` (`filter_tasks(languages=...)` then `AbsTask.filter_languages`: a
 * code is ISO 639-3 `eng` or a language-script `eng-Latn`; a subset is kept when one of its languages matches)
 * and `--subsets` (`filter_languages(hf_subsets=...)`: hf_subset names). mteb/abstasks/abstask.py and
 * mteb/filter_tasks.py (mteb 2.20). A value that no selected task has is a usage error naming the valid ones
 * (mteb would fail later, per task); a task that keeps no split or subset is left out, with a warning.
 */
import { MtebError } from '../core/errors.js';
import { hfSubsets } from '../core/subsets.js';
import type { TaskSpec } from '../task-types/spec.js';
import { languagesFor } from '../output/result-file.js';
import { closeNames } from './suggest.js';

export interface TaskFilters {
  evalSplits?: readonly string[];
  subsets?: readonly string[];
  languages?: readonly string[];
}

/** `a,b` and repeated flags as one list, blanks dropped. */
export const splitList = (values: readonly string[] | undefined): string[] | undefined =>
  values?.flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);

/** `eng` matches `eng-Latn`; `eng-Latn` matches itself. Both sides as written in eval_langs (mteb's form). */
const languageMatches = (code: string, langScript: string): boolean => {
  const [iso] = langScript.split('-');
  return code.includes('-') ? code === langScript : code === iso;
};

function unknown(flag: string, bad: string[], valid: string[]): MtebError {
  const sorted = [...new Set(valid)].sort();
  const close = bad.flatMap((b) => closeNames(b, sorted, 2));
  const shown = sorted.length > 40 ? `${sorted.slice(0, 40).join(', ')}, ... (${sorted.length} in all)` : sorted.join(', ');
  return new MtebError(
    'E_USAGE',
    `--${flag} ${bad.map((b) => `"${b}"`).join(', ')}: no selected task has ${bad.length > 1 ? 'them' : 'it'}${close.length ? ` (did you mean ${[...new Set(close)].join(', ')}?)` : ''}; the selected tasks have: ${shown}`,
    { field: flag },
  );
}

/**
 * The selected tasks narrowed by the filters: eval_splits and hf_subsets replaced by the kept ones. Unknown
 * values throw E_USAGE; tasks left with nothing are dropped (named through `warn`).
 */
export function filterTaskSpecs(specs: TaskSpec[], f: TaskFilters, warn: (m: string) => void = () => {}): TaskSpec[] {
  const splits = f.evalSplits?.length ? f.evalSplits : undefined;
  const subsets = f.subsets?.length ? f.subsets : undefined;
  const langs = f.languages?.length ? f.languages : undefined;
  if (!splits && !subsets && !langs) return specs;
  // Validated against the whole selection first: a typo is an error even when other values match.
  if (splits) {
    const have = specs.flatMap((s) => s.eval_splits);
    const bad = splits.filter((s) => !have.includes(s));
    if (bad.length) throw unknown('eval-splits', bad, have);
  }
  if (subsets) {
    const have = specs.flatMap((s) => hfSubsets(s));
    const bad = subsets.filter((s) => !have.includes(s));
    if (bad.length) throw unknown('subsets', bad, have);
  }
  if (langs) {
    const have = specs.flatMap((s) => hfSubsets(s).flatMap((sub) => languagesFor(s, sub)));
    const bad = langs.filter((l) => !have.some((ls) => languageMatches(l, ls)));
    if (bad.length) throw unknown('languages', bad, [...have, ...have.map((l) => l.split('-')[0])]);
  }
  const out: TaskSpec[] = [];
  const dropped: string[] = [];
  for (const s of specs) {
    const keptSplits = splits ? s.eval_splits.filter((x) => splits.includes(x)) : s.eval_splits;
    const keptSubsets = hfSubsets(s).filter(
      (sub) => (!subsets || subsets.includes(sub)) && (!langs || languagesFor(s, sub).some((ls) => langs.some((l) => languageMatches(l, ls)))),
    );
    if (!keptSplits.length || !keptSubsets.length) {
      dropped.push(s.name);
      continue;
    }
    const narrowed: TaskSpec = { ...s, eval_splits: keptSplits };
    // A task without hf_subsets has the one `default`; it stays without (nothing was narrowed).
    if (s.hf_subsets?.length) narrowed.hf_subsets = keptSubsets;
    out.push(narrowed);
  }
  if (dropped.length) warn(`${dropped.length} task(s) have none of the selected splits/subsets/languages and are left out: ${dropped.join(', ')}`);
  return out;
}
