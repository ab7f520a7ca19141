import { MtebError } from '../core/errors.js';
import { buildLeaderboard } from '../leaderboard/build.js';
import type { BuildOptions } from '../leaderboard/build.js';
import type { Leaderboard, ModelRow } from '../leaderboard/types.js';
import { pyRound } from '../leaderboard/round.js';
import { pairedBootstrap } from './paired-tests.js';
import { itemSignificance } from './significance.js';
import { categoryBlankReason, taskBlankReason } from './why-blank.js';
import type { Provenance } from '../leaderboard/types.js';
import type { CategoryDelta, Comparison, Mismatch, MismatchField, SideInfo, TaskDelta, TestKind } from './types.js';

export interface CompareOptions extends Omit<BuildOptions, 'revision'> {
  /** Revision per side (see BuildOptions.revision). */
  baselineRevision?: string[];
  candidateRevision?: string[];
  /** Pick one model when a side's folder holds several. */
  baselineModel?: string;
  candidateModel?: string;
  test?: TestKind;
  iterations?: number;
  seed?: number;
  alpha?: number;
}

function pickModel(lb: Leaderboard, side: string, wanted: string | undefined, sources: string[]): ModelRow {
  const rows = wanted ? lb.models.filter((m) => m.model === wanted || m.model.endsWith(`/${wanted}`)) : lb.models;
  if (rows.length !== 1) {
    throw new MtebError(
      'E_USAGE',
      `${side} ${sources.join(', ')} holds ${rows.length === 0 ? 'no matching model' : `${rows.length} models (${rows.map((m) => m.model).join(', ')})`}; pass one model folder or --${side}-model`,
      { field: side },
    );
  }
  return rows[0];
}

function side(row: ModelRow): SideInfo {
  return { model: row.model, revision: row.revision, layers: row.layers, average: row.average, warnings: row.warnings, unusable: row.unusable ?? [] };
}

const FIELD_LABEL: Record<MismatchField, string> = { protocol: 'protocol', 'mteb-version': 'mteb version', 'dataset-revision': 'dataset revision', limit: '--limit dry run' };

function fieldValue(p: Provenance, f: MismatchField): string | null {
  if (f === 'protocol') return p.protocol;
  if (f === 'mteb-version') return p.mtebVersion;
  if (f === 'dataset-revision') return p.datasetRevision;
  return p.limit === null ? 'full evaluation' : `--limit ${p.limit}`;
}

const list = (ts: string[]) => (ts.length > 8 ? `${ts.slice(0, 8).join(', ')}, … (${ts.length - 8} more)` : ts.join(', '));

/**
 * Provenance the two sides' files disagree on (protocol, mteb version, dataset revision, dry run), grouped by
 * field and value pair, and the fields that could not be checked because a side's file does not record them.
 * Official mteb files have no protocol: a field both sides lack is not worth a line for the protocol only.
 */
export function provenanceMismatches(tasks: TaskDelta[]): { mismatches: Mismatch[]; unchecked: string[] } {
  const groups = new Map<string, Mismatch>();
  const unknown = new Map<string, string[]>();
  for (const t of tasks) {
    const a = t.baselineProvenance;
    const b = t.candidateProvenance;
    if (!a || !b) continue;
    for (const f of ['protocol', 'mteb-version', 'dataset-revision', 'limit'] as const) {
      const va = fieldValue(a, f);
      const vb = fieldValue(b, f);
      if (va === null || vb === null) {
        if (va === null && vb === null && f === 'protocol') continue;
        const who = va === null && vb === null ? 'either side' : va === null ? 'the baseline' : 'the candidate';
        const k = `${FIELD_LABEL[f]} not checked: not recorded by ${who}`;
        unknown.set(k, [...(unknown.get(k) ?? []), t.task]);
        continue;
      }
      if (va === vb) continue;
      const key = `${f}\0${va}\0${vb}`;
      const g = groups.get(key) ?? { field: f, baseline: va, candidate: vb, tasks: [], message: '' };
      g.tasks.push(t.task);
      groups.set(key, g);
    }
  }
  const mismatches = [...groups.values()].map((g) => ({
    ...g,
    message: `${FIELD_LABEL[g.field]} differs on ${g.tasks.length} task(s) (${list(g.tasks)}): baseline "${g.baseline}", candidate "${g.candidate}"`,
  }));
  const unchecked = [...unknown.entries()].map(([k, ts]) => `${k} for ${ts.length} task(s) (${list(ts)})`);
  return { mismatches, unchecked };
}

/** Normalises float noise so that 30.7 - 31.2 reads as -0.5, not -0.5000000000000036. */
export function cleanDelta(x: number): number {
  return Math.round(x * 1e9) / 1e9;
}

const sub = (a: number | null | undefined, b: number | null | undefined) =>
  a === null || a === undefined || b === null || b === undefined ? null : cleanDelta(b - a);

/**
 * Per-task, per-category and average deltas between two runs scored by the same leaderboard rules, with paired
 * significance tests where both runs carry per-item sidecars and a bootstrap over tasks for the average.
 */
/** Resampling settings that would silently disable the tests (NaN alpha, 0 iterations) are usage errors. */
export function validateSignificanceOptions(o: { iterations?: number; seed?: number; alpha?: number }): void {
  if (o.iterations !== undefined && !(Number.isInteger(o.iterations) && o.iterations >= 1))
    throw new MtebError('E_USAGE', `--iterations must be a positive integer, got ${o.iterations}`, { field: 'iterations' });
  if (o.seed !== undefined && !(Number.isInteger(o.seed) && o.seed >= 0 && o.seed < 2 ** 32))
    throw new MtebError('E_USAGE', `--seed must be an integer in [0, 2^32), got ${o.seed}`, { field: 'seed' });
  if (o.alpha !== undefined && !(o.alpha > 0 && o.alpha < 1))
    throw new MtebError('E_USAGE', `--alpha must be in (0, 1), got ${o.alpha}`, { field: 'alpha' });
}

export function compareRuns(baseline: string[], candidate: string[], opts: CompareOptions): Comparison {
  validateSignificanceOptions(opts);
  const { baselineRevision, candidateRevision, ...build } = opts;
  const lbA = buildLeaderboard(baseline, { ...build, revision: baselineRevision, keepUnscored: true });
  const lbB = buildLeaderboard(candidate, { ...build, revision: candidateRevision, keepUnscored: true });
  const a = pickModel(lbA, 'baseline', opts.baselineModel, baseline);
  const b = pickModel(lbB, 'candidate', opts.candidateModel, candidate);
  const sig = { test: opts.test ?? 'both', iterations: opts.iterations ?? 10000, seed: opts.seed ?? 42, alpha: opts.alpha ?? 0.05 };
  const tasks: TaskDelta[] = lbA.tasks.map((rule) => {
    const ta = a.tasks[rule.name];
    const tb = b.tasks[rule.name];
    const s = itemSignificance(rule, ta.source?.file, tb.source?.file, sig);
    const row: TaskDelta = {
      task: rule.name,
      category: rule.category,
      baseline: ta.value,
      candidate: tb.value,
      delta: sub(ta.value, tb.value),
      significance: typeof s === 'string' ? null : s,
    };
    if (typeof s === 'string') row.significanceNote = s;
    const blank = taskBlankReason(ta, tb);
    if (blank) row.blank = blank;
    if (ta.provenance) row.baselineProvenance = ta.provenance;
    if (tb.provenance) row.candidateProvenance = tb.provenance;
    return row;
  });
  // Classic tables show averages rounded to 2 decimals (Python's round). Deltas are taken between the unrounded
  // means, as the gate takes them, and shown with the same sign-symmetric rounding, so `compare A B` and
  // `gate --baseline A --candidate B` print the same delta (and swapping the sides only flips its sign).
  const shown = (x: number | null | undefined) => (x === null || x === undefined ? null : lbA.mode === 'classic' ? pyRound(x, 2) : x);
  const categories: CategoryDelta[] = lbA.categories.map((c) => {
    const cd: CategoryDelta = { category: c, baseline: shown(a.categories[c]), candidate: shown(b.categories[c]), delta: sub(a.categories[c], b.categories[c]) };
    if (cd.delta === null) {
      const ts = tasks.filter((t) => t.category === c);
      cd.blank = categoryBlankReason(ts) ?? undefined;
      const on = ts.filter((t) => t.delta !== null);
      if (on.length) cd.common = { n: on.length, of: ts.length, delta: cleanDelta(on.reduce((p, t) => p + t.candidate! - t.baseline!, 0) / on.length) };
    }
    return cd;
  });
  const both = tasks.filter((t) => t.delta !== null);
  let common: Comparison['average']['common'] = null;
  if (both.length) {
    const xs = both.map((t) => t.baseline!);
    const ys = both.map((t) => t.candidate!);
    const mA = xs.reduce((p, q) => p + q, 0) / xs.length;
    const mB = ys.reduce((p, q) => p + q, 0) / ys.length;
    common = { n: both.length, baseline: mA, candidate: mB, delta: cleanDelta(mB - mA) };
    if (both.length >= 2) common.bootstrap = pairedBootstrap(xs, ys, { iterations: sig.iterations, seed: sig.seed });
  }
  const warnings: string[] = [];
  const unknown = tasks.filter((t) => t.delta !== null && !t.significance).length;
  if (unknown) warnings.push(`significance unknown for ${unknown} of ${both.length} compared tasks (per-item values of the main score missing on a side, or the main score is not a mean over items)`);
  const onlyOne = tasks.filter((t) => (t.baseline === null) !== (t.candidate === null)).map((t) => `${t.task} (${t.baseline === null ? 'baseline' : 'candidate'} missing)`);
  if (onlyOne.length) warnings.push(`tasks on one side only: ${onlyOne.join(', ')}`);
  const { mismatches, unchecked } = provenanceMismatches(tasks);
  warnings.push(...mismatches.map((m) => m.message), ...unchecked);
  for (const [name, row] of [['baseline', a], ['candidate', b]] as const) {
    for (const u of row.unusable ?? []) {
      if (u.broken) warnings.push(`${name} result file ${u.file} unusable (${u.code}): ${u.reason}`);
    }
  }
  return {
    benchmark: lbA.benchmark,
    mode: lbA.mode,
    alpha: sig.alpha,
    baseline: side(a),
    candidate: side(b),
    tasks,
    categories,
    average: {
      baseline: shown(a.average),
      candidate: shown(b.average),
      delta: sub(a.average, b.average),
      common,
      tasks: tasks.length,
      ...(a.average === null || b.average === null ? { blank: categoryBlankReason(tasks) ?? undefined } : {}),
    },
    warnings,
    mismatches,
  };
}
