import type { Comparison } from '../src/compare/types.js';
import type { GateVerdict } from '../src/gate/gate.js';
import type { Leaderboard } from '../src/leaderboard/types.js';
import { escapeMarkdown as md, fmt, fmtDelta, fmtP, taskLabel } from './format.js';
import { modelRowsGrid, modelsAsRows } from './leaderboard-grid.js';
import type { Reporter } from './reporter.js';

export function mdTable(header: string[], rows: string[][], align?: Array<'l' | 'r'>): string {
  const sep = header.map((_, i) => ((align?.[i] ?? (i === 0 ? 'l' : 'r')) === 'r' ? '---:' : ':---'));
  return [header, sep, ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n');
}

/** Many models: one ranked row per model, every column (Markdown is read in a browser, which scrolls). */
function modelRowsMarkdown(lb: Leaderboard): string {
  const g = modelRowsGrid(lb, md);
  return mdTable(g.head.map((x, i) => (g.kinds[i] === 'task' ? x : `**${x}**`)), g.rows, g.kinds.map((k) => (k === 'model' ? 'l' : 'r')));
}

export function leaderboardMarkdown(lb: Leaderboard): string {
  const out: string[] = [`## ${md(lb.benchmark)}`, ''];
  if (lb.allTasks !== undefined) out.push(`${lb.tasks.length} of ${lb.allTasks} tasks shown; averages and ranks are over all ${lb.allTasks}.`, '');
  const models = lb.models;
  if (modelsAsRows(lb)) {
    out.push(modelRowsMarkdown(lb), '');
    out.push(...warningSections(lb));
    return out.join('\n');
  }
  const header = ['', ...models.map((m) => md(m.model))];
  const rows: string[][] = [];
  rows.push(['**Rank**', ...models.map((m) => (m.rank === null ? '' : String(m.rank)))]);
  rows.push([`**Average (${lb.allTasks ?? lb.tasks.length} datasets)**`, ...models.map((m) => fmt(m.average))]);
  if (lb.mode === 'current') {
    rows.push(['**Mean (task type)**', ...models.map((m) => fmt(m.typeAverage))]);
    rows.push(['**Borda count**', ...models.map((m) => (m.borda === undefined ? '' : String(m.borda)))]);
  }
  for (const c of lb.categories) {
    const n = lb.tasks.filter((t) => t.category === c).length;
    rows.push([`**${md(c)} (${n})**`, ...models.map((m) => fmt(m.categories[c]))]);
  }
  for (const t of lb.tasks) rows.push([md(taskLabel(t)), ...models.map((m) => fmt(m.tasks[t.name]?.value))]);
  out.push(mdTable(header, rows), '');
  out.push(`Revisions: ${models.map((m) => `${md(m.model)} ${m.revision ? md(m.revision) : '(none)'}`).join('; ')}`, '');
  out.push(...warningSections(lb));
  return out.join('\n');
}

function warningSections(lb: Leaderboard): string[] {
  const out: string[] = [];
  for (const m of lb.models) {
    if (!m.warnings.length) continue;
    out.push(`### Warnings: ${md(m.model)}`, '', ...m.warnings.map((w) => `- ${md(w)}`), '');
  }
  return out;
}

export function comparisonMarkdown(cmp: Comparison): string {
  const out: string[] = [
    `## ${md(cmp.benchmark)}: ${md(cmp.candidate.model)} vs ${md(cmp.baseline.model)}`,
    '',
    `Baseline ${md(cmp.baseline.model)} (${md(cmp.baseline.revision ?? 'no revision')}), candidate ${md(cmp.candidate.model)} (${md(cmp.candidate.revision ?? 'no revision')}).`,
    '',
  ];
  const avg = cmp.average;
  const ci = avg.common?.bootstrap ? ` (task bootstrap 95% CI ${fmtDelta(avg.common.bootstrap.ci[0])} … ${fmtDelta(avg.common.bootstrap.ci[1])})` : '';
  let line = `**Average**: ${fmt(avg.baseline, 'blank')} → ${fmt(avg.candidate, 'blank')} (${fmtDelta(avg.delta, avg.blank ? `blank: ${md(avg.blank)}` : 'n/a')})`;
  if (avg.common) line += `; over the ${avg.common.n} of ${avg.tasks} tasks on both sides: ${fmt(avg.common.baseline)} → ${fmt(avg.common.candidate)} (${fmtDelta(avg.common.delta)})${ci}`;
  const catNote = (c: Comparison['categories'][number]) => (c.blank ? md(`${c.blank}${c.common ? `; ${fmtDelta(c.common.delta)} over the ${c.common.n} on both sides` : ''}`) : '');
  out.push(line, '', mdTable(['Category', 'Baseline', 'Candidate', 'Δ', 'Note'], cmp.categories.map((c) => [md(c.category), fmt(c.baseline), fmt(c.candidate), fmtDelta(c.delta), catNote(c)]), ['l', 'r', 'r', 'r', 'l']), '');
  const rows = cmp.tasks.map((t) => {
    const s = t.significance;
    const p = s?.randomization?.pValue ?? s?.bootstrap?.pValue;
    const ciT = s?.bootstrap ? `${fmtDelta(s.bootstrap.ci[0])} … ${fmtDelta(s.bootstrap.ci[1])}` : '';
    return [md(t.task), fmt(t.baseline), fmt(t.candidate), fmtDelta(t.delta), s ? fmtP(p) : t.delta === null ? '' : 'unknown', ciT, s ? (s.significant ? 'yes' : 'no') : '', md(t.blank ?? '')];
  });
  out.push(mdTable(['Task', 'Baseline', 'Candidate', 'Δ', 'p', '95% CI', `Significant (α=${cmp.alpha})`, 'Note'], rows, ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'l']), '');
  const warn = [...cmp.warnings, ...cmp.baseline.warnings.map((w) => `baseline: ${w}`), ...cmp.candidate.warnings.map((w) => `candidate: ${w}`)];
  if (warn.length) out.push('### Warnings', '', ...warn.map((w) => `- ${md(w)}`), '');
  return out.join('\n');
}

export function gateMarkdown(v: GateVerdict): string {
  const cmp = v.comparison;
  const status = v.problems.length ? '⚠️ inputs unusable' : v.passed ? '✅ passed' : '❌ failed';
  const r = v.rules;
  const out = [
    `## MTEB gate: ${status}`,
    '',
    `${md(cmp.benchmark)}: candidate ${md(cmp.candidate.model)} vs baseline ${md(cmp.baseline.model)}. Limits: task −${r.maxTaskDrop}, category −${r.maxCategoryDrop}, average −${r.maxAverageDrop}${r.significantOnly ? ', significant drops only' : ''}${r.allowMissing ? ', missing tasks skipped' : ''}${r.allowMismatch?.length ? `, mismatches allowed: ${r.allowMismatch.join(', ')}` : ''}.`,
    '',
  ];
  if (v.problems.length) out.push('### Unusable inputs', '', ...v.problems.map((p) => `- ${md(p)}`), '');
  if (v.violations.length) out.push('### Violations', '', ...v.violations.map((x) => `- ${md(x.message)}`), '');
  if (v.warnings?.length) out.push('### Warnings', '', ...v.warnings.map((w) => `- ${md(w)}`), '');
  const icon = { failed: '❌', skipped: '⏭️', error: '⚠️', passed: '✅' } as const;
  const rows = v.checks.map((c) => [c.kind, md(c.target), fmt(c.baseline), fmt(c.candidate), fmtDelta(c.delta), icon[c.status]]);
  out.push(
    '<details><summary>All checks</summary>',
    '',
    mdTable(['Kind', 'Target', 'Baseline', 'Candidate', 'Δ', ''], rows, ['l', 'l', 'r', 'r', 'r', 'l']),
    '',
    '</details>',
    '',
  );
  return out.join('\n');
}

export const markdownReporter: Reporter = {
  name: 'markdown',
  extension: 'md',
  leaderboard: leaderboardMarkdown,
  comparison: comparisonMarkdown,
  gate: gateMarkdown,
};

/** For $GITHUB_STEP_SUMMARY: the gate verdict (or comparison) as GitHub-flavoured Markdown. */
export const githubSummaryReporter: Reporter = {
  name: 'github-summary',
  extension: 'md',
  comparison: comparisonMarkdown,
  gate: gateMarkdown,
};
