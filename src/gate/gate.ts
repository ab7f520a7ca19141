import type { Comparison, MismatchField, TaskDelta } from '../compare/types.js';
import { MtebError } from '../core/errors.js';
import type { ErrorCode, ErrorLocation } from '../core/errors.js';
import { cleanDelta } from '../compare/compare.js';
import { pyRound } from '../leaderboard/round.js';

export interface GateRules {
  /** Largest allowed drop (points, 0-100 scale) of any task / category mean / overall mean. */
  maxTaskDrop: number;
  maxCategoryDrop: number;
  maxAverageDrop: number;
  /** Count a drop only when a paired test says it is significant; drops of unknown significance still count. */
  significantOnly: boolean;
  /**
   * Skip tasks with no result file on either side (and compare means over the common tasks) instead of refusing.
   * A file that exists but cannot be scored is never skipped.
   */
  allowMissing: boolean;
  /** Provenance differences between baseline and candidate files that do not make the inputs unusable. */
  allowMismatch?: AllowableMismatch[];
}

/** `--allow-mismatch` values; a `--limit` dry run is always refused. */
export type AllowableMismatch = Exclude<MismatchField, 'limit'>;
export const ALLOWABLE_MISMATCHES: readonly AllowableMismatch[] = ['protocol', 'mteb-version', 'dataset-revision'];

/** `--allow-mismatch a,b` (repeatable) -> checked list; an unknown name is a usage error. */
export function parseAllowMismatch(v: unknown): AllowableMismatch[] {
  if (v === undefined || v === null) return [];
  const names = (Array.isArray(v) ? v : [v]).flatMap((x) => String(x).split(',')).map((x) => x.trim()).filter(Boolean);
  for (const n of names) {
    if (!(ALLOWABLE_MISMATCHES as readonly string[]).includes(n)) {
      throw new MtebError('E_USAGE', `--allow-mismatch: unknown field "${n}" (choose: ${ALLOWABLE_MISMATCHES.join(', ')}; a --limit dry run is never allowed)`, { field: 'allow-mismatch' });
    }
  }
  return [...new Set(names)] as AllowableMismatch[];
}

export const DEFAULT_GATE_RULES: GateRules = {
  maxTaskDrop: 1.0,
  maxCategoryDrop: 0.5,
  maxAverageDrop: 0.3,
  significantOnly: false,
  allowMissing: false,
  allowMismatch: [],
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
  /** `error`: the task's inputs are unusable (a result file that exists but cannot be scored). */
  status: 'passed' | 'failed' | 'skipped' | 'error';
  detail: string;
}

/** One input problem as an error line (`error[CODE] location: message` on stderr). */
export interface GateError {
  code: ErrorCode;
  message: string;
  location: ErrorLocation;
}

export interface GateVerdict {
  passed: boolean;
  /**
   * Inputs the gate cannot judge (exit 2): missing tasks without --allow-missing, result files that exist but
   * cannot be scored, dry runs, provenance mismatches not allowed by --allow-mismatch. A problem about one task
   * starts with `<task>:`.
   */
  problems: string[];
  /** The same problems as error lines, one per problem, in the same order. */
  errors: GateError[];
  /** What the gate noticed but does not fail on (allowed mismatches, fields it could not check). */
  warnings: string[];
  violations: Violation[];
  checks: GateCheck[];
  rules: GateRules;
  comparison: Comparison;
}

/** Python's round to 2 decimals (sign-symmetric, as reports/format.ts shows deltas), not toFixed's half-up. */
const f2 = (x: number) => pyRound(x, 2).toFixed(2);

function taskSignificanceText(t: TaskDelta): string {
  if (!t.significance) return 'significance unknown';
  const p = t.significance.randomization?.pValue ?? t.significance.bootstrap?.pValue;
  return `${t.significance.significant ? 'significant' : 'not significant'} (p=${p?.toPrecision(3)}, n=${t.significance.n})`;
}

/** `38 task(s) missing (36 on both sides, 2 on the candidate; first: A, B, C)`. */
function missingSummary(absent: Array<{ task: TaskDelta; which: string }>): string {
  const by = new Map<string, number>();
  for (const a of absent) by.set(a.which, (by.get(a.which) ?? 0) + 1);
  const sides = ['both sides', 'the baseline', 'the candidate'].filter((w) => by.has(w)).map((w) => `${by.get(w)} on ${w}`);
  const first = absent.slice(0, 3).map((a) => a.task.task).join(', ');
  return `${absent.length} task(s) missing (${sides.join(', ')}; first: ${first}${absent.length > 3 ? ', …' : ''})`;
}

/** Applies the drop limits to a comparison. Never throws for a bad candidate: everything is in the verdict. */
export function evaluateGate(cmp: Comparison, rules: GateRules = DEFAULT_GATE_RULES): GateVerdict {
  // A NaN limit would make every `drop > limit` false, i.e. a gate that always passes.
  for (const [name, v] of [['max-task-drop', rules.maxTaskDrop], ['max-category-drop', rules.maxCategoryDrop], ['max-average-drop', rules.maxAverageDrop]] as const) {
    if (!(Number.isFinite(v) && v >= 0)) throw new MtebError('E_USAGE', `--${name} must be a number >= 0, got ${v}`, { field: name });
  }
  const problems: string[] = [];
  const errors: GateError[] = [];
  const warnings: string[] = [];
  // The stderr line names task and file through its location; `line` is the message after them.
  const problem = (text: string, code: ErrorCode, location: ErrorLocation = {}, line = text) => {
    problems.push(text);
    errors.push({ code, message: line, location });
  };
  // A --limit dry run scored a few items only: gating on it would compare noise with real scores.
  for (const [side, info] of [['baseline', cmp.baseline], ['candidate', cmp.candidate]] as const) {
    for (const w of info?.warnings ?? []) if (/: dry run \(--limit /.test(w)) problem(`${side}: ${w}`, 'E_RESULTS', { field: 'mteb_ts.limit' });
  }
  // A result file that exists but cannot be scored is never a skip: broken files always, and a readable file
  // lacking the benchmark's split/subset/metric when its task has no score on that side.
  const unusableTasks = new Set<string>();
  for (const [side, info] of [['baseline', cmp.baseline], ['candidate', cmp.candidate]] as const) {
    for (const u of info?.unusable ?? []) {
      const t = cmp.tasks.find((x) => x.task === u.task);
      const scored = t ? t[side] !== null : false;
      if (!u.broken && scored) continue;
      unusableTasks.add(u.task);
      problem(`${u.task}: ${side} result file ${u.file} unusable: ${u.reason}`, u.code, { file: u.file, task: u.task }, `${side} result file unusable: ${u.reason}`);
    }
  }
  const allowed = new Set<string>(rules.allowMismatch ?? []);
  for (const m of cmp.mismatches ?? []) {
    if (m.field === 'limit') continue; // dry runs are refused above
    if (allowed.has(m.field)) warnings.push(`${m.message} (allowed by --allow-mismatch ${m.field})`);
    else problem(`${m.message}; scores are not comparable (pass --allow-mismatch ${m.field} to accept)`, 'E_RESULTS', { field: m.field });
  }
  for (const w of cmp.warnings ?? []) if (/ not checked: not recorded by /.test(w)) warnings.push(w);
  const violations: Violation[] = [];
  const checks: GateCheck[] = [];
  const missing = cmp.tasks.filter((t) => t.delta === null);
  const absent: Array<{ task: TaskDelta; which: string }> = [];
  for (const t of missing) {
    const which = t.baseline === null && t.candidate === null ? 'both sides' : t.baseline === null ? 'the baseline' : 'the candidate';
    if (unusableTasks.has(t.task)) {
      checks.push({ kind: 'task', target: t.task, baseline: t.baseline, candidate: t.candidate, delta: null, limit: rules.maxTaskDrop, status: 'error', detail: 'result file unusable' });
      continue;
    }
    absent.push({ task: t, which });
    checks.push({ kind: 'task', target: t.task, baseline: t.baseline, candidate: t.candidate, delta: null, limit: rules.maxTaskDrop, status: 'skipped', detail: t.blank ?? `missing on ${which}` });
  }
  if (!rules.allowMissing && absent.length === 1) {
    const { task: t, which } = absent[0];
    problem(`${t.task}: missing on ${which} (use --allow-missing to skip it)`, 'E_FILE_MISSING', { task: t.task }, `no result file on ${which} (use --allow-missing to skip it)`);
  } else if (!rules.allowMissing && absent.length > 1) {
    // One verdict for all of them: 38 lines saying the same thing hide the one decision to take.
    const common = cmp.tasks.length - missing.length;
    const text = `${missingSummary(absent)}; use --allow-missing to skip them and compare the means over the ${common} task(s) scored on both sides`;
    problem(text, 'E_FILE_MISSING', {}, text);
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
    problem('no task is scored on both sides', 'E_RESULTS');
  }
  return { passed: problems.length === 0 && violations.length === 0, problems, errors, warnings, violations, checks, rules, comparison: cmp };
}

/** 0 = no rule broken, 1 = a rule broken, 2 = inputs unusable. */
export function gateExitCode(v: GateVerdict): 0 | 1 | 2 {
  if (v.problems.length) return 2;
  return v.violations.length ? 1 : 0;
}
