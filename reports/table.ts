import Table from 'cli-table3';
import type { Comparison } from '../src/compare/types.js';
import type { GateVerdict } from '../src/gate/gate.js';
import type { Leaderboard } from '../src/leaderboard/types.js';
import { fmt, fmtDelta, fmtP, taskLabel } from './format.js';
import type { Reporter } from './reporter.js';

/** Terminal text: control characters from result files must not reach the terminal. */
const clean = (s: string) => s.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');

function render(head: string[], rows: string[][]): string {
  const t = new Table({
    head: head.map(clean),
    style: { head: [], border: [] },
    // No separator line between body rows: a 56-task table stays readable in a terminal.
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
    colAligns: head.map((_, i) => (i === 0 ? 'left' : 'right')) as any,
  });
  for (const r of rows) t.push(r.map(clean));
  return t.toString();
}

export function leaderboardTable(lb: Leaderboard): string {
  const rows: string[][] = [
    ['Rank', ...lb.models.map((m) => (m.rank === null ? '' : String(m.rank)))],
    [`Average (${lb.tasks.length})`, ...lb.models.map((m) => fmt(m.average))],
  ];
  if (lb.mode === 'current') {
    rows.push(['Mean (task type)', ...lb.models.map((m) => fmt(m.typeAverage))]);
    rows.push(['Borda count', ...lb.models.map((m) => String(m.borda ?? ''))]);
  }
  for (const c of lb.categories) rows.push([c, ...lb.models.map((m) => fmt(m.categories[c]))]);
  for (const t of lb.tasks) rows.push([taskLabel(t), ...lb.models.map((m) => fmt(m.tasks[t.name]?.value))]);
  const lines = [lb.benchmark, render(['', ...lb.models.map((m) => m.model)], rows)];
  for (const m of lb.models) {
    lines.push(`${clean(m.model)}: revision ${clean(m.revision ?? '(none)')}; sources ${clean(m.layers.join(' > '))}`);
    for (const w of m.warnings) lines.push(`  warning: ${clean(w)}`);
  }
  return lines.join('\n') + '\n';
}

export function comparisonTable(cmp: Comparison): string {
  const rows = cmp.tasks.map((t) => {
    const s = t.significance;
    return [t.task, fmt(t.baseline), fmt(t.candidate), fmtDelta(t.delta), s ? fmtP(s.randomization?.pValue ?? s.bootstrap?.pValue) : t.delta === null ? '' : 'unknown', s ? (s.significant ? 'yes' : 'no') : ''];
  });
  for (const c of cmp.categories) rows.push([`[${c.category}]`, fmt(c.baseline), fmt(c.candidate), fmtDelta(c.delta), '', '']);
  const b = cmp.average.common?.bootstrap;
  rows.push(['[Average]', fmt(cmp.average.baseline), fmt(cmp.average.candidate), fmtDelta(cmp.average.delta), b ? fmtP(b.pValue) : '', b ? `CI ${fmtDelta(b.ci[0])}..${fmtDelta(b.ci[1])}` : '']);
  const lines = [
    clean(`${cmp.benchmark}: candidate ${cmp.candidate.model} (${cmp.candidate.revision ?? '-'}) vs baseline ${cmp.baseline.model} (${cmp.baseline.revision ?? '-'})`),
    render(['Task', 'Baseline', 'Candidate', 'Delta', 'p', 'Significant'], rows),
    ...cmp.warnings.map((w) => clean(`warning: ${w}`)),
  ];
  return lines.join('\n') + '\n';
}

export function gateTable(v: GateVerdict): string {
  const head = v.problems.length ? 'GATE: INPUTS UNUSABLE' : v.passed ? 'GATE: PASSED' : 'GATE: FAILED';
  const lines = [head, ...v.problems.map((p) => clean(`unusable: ${p}`)), ...v.violations.map((x) => clean(`violation: ${x.message}`))];
  const failing = v.checks.filter((c) => c.status !== 'passed');
  if (failing.length) {
    lines.push(render(['Kind', 'Target', 'Baseline', 'Candidate', 'Delta', 'Status'], failing.map((c) => [c.kind, c.target, fmt(c.baseline), fmt(c.candidate), fmtDelta(c.delta), c.status])));
  }
  lines.push(`${v.checks.filter((c) => c.status === 'passed').length} of ${v.checks.length} checks passed`);
  return lines.join('\n') + '\n';
}

export const tableReporter: Reporter = {
  name: 'table',
  extension: 'txt',
  leaderboard: leaderboardTable,
  comparison: comparisonTable,
  gate: gateTable,
};
