import type { Comparison, TaskDelta } from '../compare/types.js';
import { MtebError } from '../core/errors.js';
import { cleanDelta } from '../compare/compare.js';

export interface GateRules {
  /** Largest allowed drop (points, 0-100 scale) of any task / category mean / overall mean. */
  maxTaskDrop: number;
  maxCategoryDrop: number;
  maxAverageDrop: number;
  /** Count a drop only when a paired test says it is significant; drops of unknown significance still count. */
  significantOnly: boolean;
  /** Skip tasks missing on either side (and compare means over the common tasks) instead of refusing. */
  allowMissing: boolean;
}

export const DEFAULT_GATE_RULES: GateRules = {
  maxTaskDrop: 1.0,
  maxCategoryDrop: 0.5,
  maxAverageDrop: 0.3,
  significantOnly: false,
  allowMissing: false,
};

export type ViolationRule = 'max-task-drop' | 'max-category-drop' | 'max-average-drop';

export interface Violation {
  rule: ViolationRule;
  /** Task or category name, or `average`. */
  target: string;
  baseline: number;
  candidate: number;
  delta: number;
  limit: number;
  message: string;
}

/** One checked target, passed or not (one JUnit testcase each). */
export interface GateCheck {
  kind: 'task' | 'category' | 'average';
  target: string;
  baseline: number | null;
  candidate: number | null;
  delta: number | null;
  limit: number;
  status: 'passed' | 'failed' | 'skipped';
  detail: string;
}

export interface GateVerdict {
  passed: boolean;
  /** Inputs the gate cannot judge (exit 2): missing tasks without --allow-missing. */
  problems: string[];
  violations: Violation[];
  checks: GateCheck[];
  rules: GateRules;
  comparison: Comparison;
}

const f2 = (x: number) => x.toFixed(2);

function taskSignificanceText(t: TaskDelta): string {
  if (!t.significance) return 'significance unknown';
  const p = t.significance.randomization?.pValue ?? t.significance.bootstrap?.pValue;
  return `${t.significance.significant ? 'significant' : 'not significant'} (p=${p?.toPrecision(3)}, n=${t.significance.n})`;
}

/** Applies the drop limits to a comparison. Never throws for a bad candidate: everything is in the verdict. */
export function evaluateGate(cmp: Comparison, rules: GateRules = DEFAULT_GATE_RULES): GateVerdict {
  // A NaN limit would make every `drop > limit` false, i.e. a gate that always passes.
  for (const [name, v] of [['max-task-drop', rules.maxTaskDrop], ['max-category-drop', rules.maxCategoryDrop], ['max-average-drop', rules.maxAverageDrop]] as const) {
    if (!(Number.isFinite(v) && v >= 0)) throw new MtebError('E_USAGE', `--${name} must be a number >= 0, got ${v}`, { field: name });
  }
  const problems: string[] = [];
  // A --limit dry run scored a few items only: gating on it would compare noise with real scores.
  for (const [side, info] of [['baseline', cmp.baseline], ['candidate', cmp.candidate]] as const) {
    for (const w of info?.warnings ?? []) if (/: dry run \(--limit /.test(w)) problems.push(`${side}: ${w}`);
  }
  const violations: Violation[] = [];
  const checks: GateCheck[] = [];
  const missing = cmp.tasks.filter((t) => t.delta === null);
  for (const t of missing) {
    const which = t.baseline === null && t.candidate === null ? 'both sides' : t.baseline === null ? 'the baseline' : 'the candidate';
    if (!rules.allowMissing) problems.push(`${t.task}: missing on ${which} (use --allow-missing to skip it)`);
    checks.push({ kind: 'task', target: t.task, baseline: t.baseline, candidate: t.candidate, delta: null, limit: rules.maxTaskDrop, status: 'skipped', detail: `missing on ${which}` });
  }
  const present = cmp.tasks.filter((t) => t.delta !== null);
  for (const t of present) {
    const drop = -t.delta!;
    let failed = drop > rules.maxTaskDrop;
    let detail = `delta ${f2(t.delta!)} (limit -${f2(rules.maxTaskDrop)}), ${taskSignificanceText(t)}`;
    if (failed && rules.significantOnly && t.significance && !t.significance.significant) {
      failed = false;
      detail += '; drop not significant, allowed by --significant-only';
    }
    checks.push({ kind: 'task', target: t.task, baseline: t.baseline, candidate: t.candidate, delta: t.delta, limit: rules.maxTaskDrop, status: failed ? 'failed' : 'passed', detail });
    if (failed) {
      violations.push({
        rule: 'max-task-drop', target: t.task, baseline: t.baseline!, candidate: t.candidate!, delta: t.delta!, limit: rules.maxTaskDrop,
        message: `${t.task}: ${f2(t.baseline!)} -> ${f2(t.candidate!)} (${f2(t.delta!)}) drops more than ${f2(rules.maxTaskDrop)}; ${taskSignificanceText(t)}`,
      });
    }
  }
  // Means over the tasks both sides have: with no task missing this is the benchmark's own mean.
  const meanOf = (ts: TaskDelta[], key: 'baseline' | 'candidate') => ts.reduce((s, t) => s + t[key]!, 0) / ts.length;
  for (const c of cmp.categories) {
    const ts = present.filter((t) => t.category === c.category);
    if (!ts.length) {
      checks.push({ kind: 'category', target: c.category, baseline: null, candidate: null, delta: null, limit: rules.maxCategoryDrop, status: 'skipped', detail: 'no task of this category is scored on both sides' });
      continue;
    }
    const base = meanOf(ts, 'baseline');
    const cand = meanOf(ts, 'candidate');
    const delta = cleanDelta(cand - base);
    const failed = -delta > rules.maxCategoryDrop;
    const scope = ts.length === cmp.tasks.filter((t) => t.category === c.category).length ? '' : ` over ${ts.length} common tasks`;
    checks.push({ kind: 'category', target: c.category, baseline: base, candidate: cand, delta, limit: rules.maxCategoryDrop, status: failed ? 'failed' : 'passed', detail: `delta ${f2(delta)}${scope} (limit -${f2(rules.maxCategoryDrop)})` });
    if (failed) {
      violations.push({
        rule: 'max-category-drop', target: c.category, baseline: base, candidate: cand, delta, limit: rules.maxCategoryDrop,
        message: `category ${c.category}${scope}: ${f2(base)} -> ${f2(cand)} (${f2(delta)}) drops more than ${f2(rules.maxCategoryDrop)}`,
      });
    }
  }
  if (present.length) {
    const base = meanOf(present, 'baseline');
    const cand = meanOf(present, 'candidate');
    const delta = cleanDelta(cand - base);
    let failed = -delta > rules.maxAverageDrop;
    const boot = cmp.average.common?.bootstrap;
    let detail = `delta ${f2(delta)} over ${present.length} tasks (limit -${f2(rules.maxAverageDrop)})`;
    if (boot) detail += `, task-bootstrap 95% CI [${f2(boot.ci[0])}, ${f2(boot.ci[1])}]`;
    if (failed && rules.significantOnly && boot && boot.ci[1] >= 0) {
      failed = false;
      detail += '; CI includes 0, allowed by --significant-only';
    }
    checks.push({ kind: 'average', target: 'average', baseline: base, candidate: cand, delta, limit: rules.maxAverageDrop, status: failed ? 'failed' : 'passed', detail });
    if (failed) {
      violations.push({
        rule: 'max-average-drop', target: 'average', baseline: base, candidate: cand, delta, limit: rules.maxAverageDrop,
        message: `average over ${present.length} tasks: ${f2(base)} -> ${f2(cand)} (${f2(delta)}) drops more than ${f2(rules.maxAverageDrop)}`,
      });
    }
  } else {
    problems.push('no task is scored on both sides');
  }
  return { passed: problems.length === 0 && violations.length === 0, problems, violations, checks, rules, comparison: cmp };
}

/** 0 = no rule broken, 1 = a rule broken, 2 = inputs unusable. */
export function gateExitCode(v: GateVerdict): 0 | 1 | 2 {
  if (v.problems.length) return 2;
  return v.violations.length ? 1 : 0;
}
