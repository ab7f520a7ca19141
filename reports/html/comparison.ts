import type { Comparison } from '../../src/compare/types.js';
import { escapeHtml as h, fmt, fmtDelta, fmtP } from '../format.js';
import { deltaBarsSvg, groupedBarsSvg, legendHtml } from './charts.js';
import { page, scrollBox } from './page.js';

const cell = (v: number | null | undefined, text = fmt(v)) =>
  v === null || v === undefined ? '<td class="n blank"></td>' : `<td class="n${v < 0 ? ' neg' : ''}" data-v="${v}">${text}</td>`;

export function comparisonHtml(cmp: Comparison): string {
  const avg = cmp.average;
  const body: string[] = [`<h1>${h(cmp.benchmark)}: ${h(cmp.candidate.model)} vs ${h(cmp.baseline.model)}</h1>`];
  let summary = `Baseline ${h(cmp.baseline.model)} (${h(cmp.baseline.revision ?? 'no revision')}), candidate ${h(cmp.candidate.model)} (${h(cmp.candidate.revision ?? 'no revision')}). Average ${fmt(avg.baseline, 'blank')} → ${fmt(avg.candidate, 'blank')} (${fmtDelta(avg.delta, avg.blank ? `blank: ${h(avg.blank)}` : 'n/a')})`;
  if (avg.common && avg.common.n < avg.tasks) summary += `; over the ${avg.common.n} of ${avg.tasks} tasks on both sides ${fmt(avg.common.baseline)} → ${fmt(avg.common.candidate)} (${fmtDelta(avg.common.delta)})`;
  body.push(`<p class="meta">${summary}.</p>`);
  const series = [`baseline ${cmp.baseline.model}`, `candidate ${cmp.candidate.model}`];
  body.push(legendHtml(series));
  body.push(groupedBarsSvg(cmp.categories.map((c) => c.category), [
    { name: series[0], values: cmp.categories.map((c) => c.baseline) },
    { name: series[1], values: cmp.categories.map((c) => c.candidate) },
  ], 'Category averages (0-100)'));
  body.push(deltaBarsSvg(cmp.tasks.map((t) => ({ label: t.task, delta: t.delta, marker: t.significance?.significant ? ' *' : '', note: t.blank })), 'Per-task delta (candidate - baseline; * = significant)'));
  const rows = cmp.tasks.map((t) => {
    const s = t.significance;
    const p = s ? fmtP(s.randomization?.pValue ?? s.bootstrap?.pValue) : t.delta === null ? '' : 'unknown';
    const sig = s ? (s.significant ? 'yes' : 'no') : t.delta === null ? '' : h(t.significanceNote ?? '');
    return `<tr><td>${h(t.task)}</td>${cell(t.baseline)}${cell(t.candidate)}${cell(t.delta, fmtDelta(t.delta))}<td class="n">${p}</td><td>${sig}</td><td>${t.blank ? `<span class="why">${h(t.blank)}</span>` : ''}</td></tr>`;
  });
  for (const c of cmp.categories) {
    const note = c.blank ? `${c.blank}${c.common ? `; ${fmtDelta(c.common.delta)} over the ${c.common.n} on both sides` : ''}` : '';
    rows.push(`<tr class="agg"><td>${h(c.category)}</td>${cell(c.baseline)}${cell(c.candidate)}${cell(c.delta, fmtDelta(c.delta))}<td></td><td></td><td>${note ? `<span class="why">${h(note)}</span>` : ''}</td></tr>`);
  }
  rows.push(`<tr class="agg"><td>Average</td>${cell(avg.baseline)}${cell(avg.candidate)}${cell(avg.delta, fmtDelta(avg.delta))}<td></td><td></td><td>${avg.blank ? `<span class="why">${h(avg.blank)}</span>` : ''}</td></tr>`);
  if (avg.common && avg.common.n < avg.tasks) {
    const b = avg.common.bootstrap;
    rows.push(`<tr class="agg"><td>Average, ${avg.common.n} common tasks</td>${cell(avg.common.baseline)}${cell(avg.common.candidate)}${cell(avg.common.delta, fmtDelta(avg.common.delta))}<td class="n">${b ? fmtP(b.pValue) : ''}</td><td>${b ? `CI ${fmtDelta(b.ci[0])}..${fmtDelta(b.ci[1])}` : ''}</td><td><span class="why">over the ${avg.common.n} of ${avg.tasks} tasks scored on both sides</span></td></tr>`);
  }
  body.push(scrollBox(`<table id="deltas"><thead><tr><th>Task</th><th>Baseline</th><th>Candidate</th><th>Δ</th><th>p</th><th>Significant</th><th>Why blank</th></tr></thead><tbody>${rows.join('\n')}</tbody></table>`));
  if (cmp.warnings.length) body.push(`<ul class="warn">${cmp.warnings.map((w) => `<li>${h(w)}</li>`).join('')}</ul>`);
  return page(`${cmp.benchmark} comparison`, body.join('\n'));
}
