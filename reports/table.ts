import type { Comparison } from '../src/compare/types.js';
import type { GateVerdict } from '../src/gate/gate.js';
import type { Leaderboard } from '../src/leaderboard/types.js';
import { cleanCell as clean, terminalTable } from '../src/util/terminal-table.js';
import { fmt, fmtDelta, fmtP, taskLabel } from './format.js';
import { modelRowsGrid, modelsAsRows } from './leaderboard-grid.js';
import type { RenderOptions, Reporter } from './reporter.js';

/** A table with a first label column; wider than the terminal, its other columns wrap into further tables. */
function render(head: string[], rows: string[][], opts: RenderOptions = {}, align?: Array<'left' | 'right'>): string {
  return terminalTable(head, rows, { width: opts.width, frozen: 1, overflow: 'wrap', align }).text;
}

function modelLines(lb: Leaderboard): string[] {
  const lines: string[] = [];
  for (const m of lb.models) {
    lines.push(`${clean(m.model)}: revision ${clean(m.revision ?? '(none)')}; sources ${clean(m.layers.join(' > '))}`);
    for (const w of m.warnings) lines.push(`  warning: ${clean(w)}`);
  }
  return lines;
}

/**
 * Many models: one ranked row per model. In a terminal the columns that do not fit are left out and named
 * (categories come before tasks, so the narrowest terminal still shows rank, model and averages).
 */
function modelRowsTable(lb: Leaderboard, opts: RenderOptions): string {
  const g = modelRowsGrid(lb);
  const align = g.kinds.map((k) => (k === 'model' ? 'left' : 'right') as 'left' | 'right');
  const fitted = terminalTable(g.head, g.rows, { width: opts.width, frozen: g.frozen, overflow: 'drop', align });
  const lines = [clean(lb.allTasks === undefined ? lb.benchmark : `${lb.benchmark}: ${lb.tasks.length} of ${lb.allTasks} tasks shown; averages and ranks over all ${lb.allTasks}`), fitted.text];
  if (fitted.dropped.length) {
    lines.push(`${fitted.dropped.length} column(s) left out to fit ${opts.width} terminal columns (${clean(fitted.dropped.slice(0, 3).join(', '))}${fitted.dropped.length > 3 ? ', …' : ''}): --types / --tasks choose columns, a pipe or --format markdown|json prints them all`);
  }
  return [...lines, ...modelLines(lb)].join('\n') + '\n';
}

export function leaderboardTable(lb: Leaderboard, opts: RenderOptions = {}): string {
  if (modelsAsRows(lb)) return modelRowsTable(lb, opts);
  const rows: string[][] = [
    ['Rank', ...lb.models.map((m) => (m.rank === null ? '' : String(m.rank)))],
    [`Average (${lb.allTasks ?? lb.tasks.length})`, ...lb.models.map((m) => fmt(m.average))],
  ];
  if (lb.mode === 'current') {
    rows.push(['Mean (task type)', ...lb.models.map((m) => fmt(m.typeAverage))]);
    rows.push(['Borda count', ...lb.models.map((m) => String(m.borda ?? ''))]);
  }
  for (const c of lb.categories) rows.push([c, ...lb.models.map((m) => fmt(m.categories[c]))]);
  for (const t of lb.tasks) rows.push([taskLabel(t), ...lb.models.map((m) => fmt(m.tasks[t.name]?.value))]);
  const lines = [clean(lb.benchmark), render(['', ...lb.models.map((m) => m.model)], rows, opts), ...modelLines(lb)];
  return lines.join('\n') + '\n';
}

export function comparisonTable(cmp: Comparison, opts: RenderOptions = {}): string {
  const rows = cmp.tasks.map((t) => {
    const s = t.significance;
    return [t.task, fmt(t.baseline), fmt(t.candidate), fmtDelta(t.delta), s ? fmtP(s.randomization?.pValue ?? s.bootstrap?.pValue) : t.delta === null ? '' : 'unknown', s ? (s.significant ? 'yes' : 'no') : '', t.blank ?? ''];
  });
  for (const c of cmp.categories) {
    const note = c.blank ? `${c.blank}${c.common ? `; ${fmtDelta(c.common.delta)} over the ${c.common.n} on both` : ''}` : '';
    rows.push([`[${c.category}]`, fmt(c.baseline), fmt(c.candidate), fmtDelta(c.delta), '', '', note]);
  }
  rows.push(...averageRows(cmp));
  const lines = [
    clean(`${cmp.benchmark}: candidate ${cmp.candidate.model} (${cmp.candidate.revision ?? '-'}) vs baseline ${cmp.baseline.model} (${cmp.baseline.revision ?? '-'})`),
    render(['Task', 'Baseline', 'Candidate', 'Delta', 'p', 'Significant', 'Note'], rows, opts, ['left', 'right', 'right', 'right', 'right', 'right', 'left']),
    ...cmp.warnings.map((w) => clean(`warning: ${w}`)),
  ];
  return lines.join('\n') + '\n';
}

/**
 * The average row, and when some task is missing on a side, a second row with the means and delta over the
 * tasks both sides have (the one the gate judges), saying how many they are.
 */
function averageRows(cmp: Comparison): string[][] {
  const avg = cmp.average;
  const c = avg.common;
  const b = c?.bootstrap;
  const stats = (withStats: boolean) => (withStats && b ? [fmtP(b.pValue), `CI ${fmtDelta(b.ci[0])}..${fmtDelta(b.ci[1])}`] : ['', '']);
  const all = !c || c.n === avg.tasks;
  const rows = [['[Average]', fmt(avg.baseline), fmt(avg.candidate), fmtDelta(avg.delta), ...stats(all), avg.blank ?? '']];
  if (c && !all) rows.push([`[Average, ${c.n} common tasks]`, fmt(c.baseline), fmt(c.candidate), fmtDelta(c.delta), ...stats(true), `over the ${c.n} of ${avg.tasks} tasks scored on both sides`]);
  return rows;
}

export function gateTable(v: GateVerdict, opts: RenderOptions = {}): string {
  const head = v.problems.length ? 'GATE: INPUTS UNUSABLE' : v.passed ? 'GATE: PASSED' : 'GATE: FAILED';
  const lines = [head, ...v.problems.map((p) => clean(`unusable: ${p}`)), ...v.violations.map((x) => clean(`violation: ${x.message}`))];
  // Skipped tasks (missing, --allow-missing) are counted, not listed: the table holds what needs a look.
  const failing = v.checks.filter((c) => c.status === 'failed' || c.status === 'error');
  if (failing.length) {
    lines.push(render(['Kind', 'Target', 'Baseline', 'Candidate', 'Delta', 'Status'], failing.map((c) => [c.kind, c.target, fmt(c.baseline), fmt(c.candidate), fmtDelta(c.delta), c.status]), opts));
  }
  const skipped = v.checks.filter((c) => c.status === 'skipped' && c.kind === 'task');
  if (skipped.length && v.rules.allowMissing) lines.push(`${skipped.length} task(s) skipped by --allow-missing (${clean(skipped.slice(0, 3).map((c) => c.target).join(', '))}${skipped.length > 3 ? ', …' : ''})`);
  // With unusable inputs there is no verdict on the limits: a "62 of 64 passed" line would read like one.
  if (v.problems.length) lines.push(`exit 2: no verdict on the limits until the ${v.problems.length === 1 ? 'input above is' : `${v.problems.length} inputs above are`} fixed`);
  else lines.push(`${v.checks.filter((c) => c.status === 'passed').length} of ${v.checks.filter((c) => c.status !== 'skipped').length} checks passed`);
  return lines.join('\n') + '\n';
}

export const tableReporter: Reporter = {
  name: 'table',
  extension: 'txt',
  leaderboard: leaderboardTable,
  comparison: comparisonTable,
  gate: gateTable,
};
