import type { Leaderboard, ModelRow } from '../../src/leaderboard/types.js';
import { escapeHtml as h, fmt, taskLabel } from '../format.js';
import { blankReason, modelsAsRows } from '../leaderboard-grid.js';
import { TOP_N, barsSvg, deltaBarsSvg, groupedBarsSvg, legendHtml } from './charts.js';
import { page, scrollBox } from './page.js';

const num = (v: number | null | undefined) => (v === null || v === undefined || !Number.isFinite(v) ? null : v);

/** A numeric cell with its sort key; blank cells carry no key (sorted last). */
function cell(v: number | null | undefined, text = fmt(v)): string {
  const x = num(v);
  if (x === null) return `<td class="n blank"></td>`;
  return `<td class="n${x < 0 ? ' neg' : ''}" data-v="${x}">${text}</td>`;
}

/** The average cell: the number, or "blank" with the reason next to it (the full one as a tooltip). */
function averageCell(m: ModelRow): string {
  const why = blankReason(m);
  if (!why) return cell(m.average);
  return `<td class="n blank"><span class="why" title="${h(why.full)}">blank: ${h(why.short)}</span></td>`;
}

/** One sortable row per model: rank, model, average(s), categories, tasks. */
function modelRowsTable(lb: Leaderboard): string {
  const head: string[] = ['<th>Rank</th>', '<th class="model" data-type="text">Model</th>', `<th>Average (${lb.allTasks ?? lb.tasks.length})</th>`];
  if (lb.mode === 'current') head.push('<th>Mean (task type)</th>', '<th>Borda</th>');
  for (const c of lb.categories) head.push(`<th>${h(c)} (${lb.tasks.filter((t) => t.category === c).length})</th>`);
  for (const t of lb.tasks) head.push(`<th>${h(taskLabel(t))}</th>`);
  const rows = lb.models.map((m) => {
    const cells = [
      m.rank === null ? '<td class="n"></td>' : `<td class="n" data-v="${m.rank}">${m.rank}</td>`,
      `<td class="model" data-v="${h(m.model)}" title="${h(`${m.model} · revision ${m.revision ?? 'none'}`)}">${h(m.model)}</td>`,
      averageCell(m),
    ];
    if (lb.mode === 'current') cells.push(cell(m.typeAverage), m.borda === undefined ? '<td class="n"></td>' : `<td class="n" data-v="${m.borda}">${m.borda}</td>`);
    for (const c of lb.categories) cells.push(cell(m.categories[c]));
    for (const t of lb.tasks) cells.push(cell(m.tasks[t.name]?.value));
    return `<tr>${cells.join('')}</tr>`;
  });
  return scrollBox(`<table id="scores" class="sortable"><thead><tr>${head.join('')}</tr></thead><tbody>${rows.join('\n')}</tbody></table>`);
}

/** Up to four models: the original MTEB layout, tasks as rows and one column per model. */
function modelColumnsTable(lb: Leaderboard): string {
  const models = lb.models;
  const rows: string[] = [];
  rows.push(`<tr class="agg"><td>Rank</td>${models.map((m) => `<td class="n">${m.rank ?? ''}</td>`).join('')}</tr>`);
  rows.push(`<tr class="agg"><td>Average (${lb.allTasks ?? lb.tasks.length} datasets)</td>${models.map(averageCell).join('')}</tr>`);
  if (lb.mode === 'current') {
    rows.push(`<tr class="agg"><td>Mean (task type)</td>${models.map((m) => cell(m.typeAverage)).join('')}</tr>`);
    rows.push(`<tr class="agg"><td>Borda count</td>${models.map((m) => `<td class="n">${m.borda ?? ''}</td>`).join('')}</tr>`);
  }
  for (const c of lb.categories) rows.push(`<tr class="agg"><td>${h(c)}</td>${models.map((m) => cell(m.categories[c])).join('')}</tr>`);
  for (const t of lb.tasks) rows.push(`<tr><td>${h(taskLabel(t))}</td>${models.map((m) => cell(m.tasks[t.name]?.value)).join('')}</tr>`);
  const head = models.map((m) => `<th>${h(m.model)}<br><span class="meta">${h(m.revision ? m.revision.slice(0, 12) : 'no revision')}</span></th>`).join('');
  return scrollBox(`<table id="scores"><thead><tr><th></th>${head}</tr></thead><tbody>${rows.join('')}</tbody></table>`);
}

export function leaderboardHtml(lb: Leaderboard): string {
  const models = lb.models;
  const many = modelsAsRows(lb);
  const body: string[] = [`<h1>${h(lb.benchmark)} leaderboard</h1>`];
  const shown = lb.allTasks === undefined ? `${lb.tasks.length} tasks` : `${lb.tasks.length} of ${lb.allTasks} tasks shown (averages and ranks over all ${lb.allTasks})`;
  body.push(`<p class="meta">${models.length} model(s), ${shown}, ${lb.mode === 'classic' ? 'original leaderboard rules (per-task values rounded to 2 decimals, mean over tasks)' : 'current mteb rules (main score, mean over tasks, Borda rank)'}.${many ? ' Click a column header to sort.' : ''}</p>`);
  // Charts show the best-ranked models only: beyond ~10 series colours repeat and bars become hairlines.
  const top = models.slice(0, TOP_N);
  if (top.length) {
    body.push('<h2>Top models</h2>');
    if (models.length > top.length) body.push(`<p class="meta">Charts: the top ${top.length} of ${models.length} models by rank; the table below has them all.</p>`);
    body.push(legendHtml(top.map((m) => m.model)));
    const charts: string[] = [];
    if (many) charts.push(barsSvg(top.map((m) => ({ label: m.model, value: num(m.average), note: blankReason(m) ? `blank: ${blankReason(m)!.short}` : undefined })), `Average (${lb.allTasks ?? lb.tasks.length} tasks)`));
    if (lb.categories.length) {
      charts.push(groupedBarsSvg(lb.categories, top.map((m) => ({ name: m.model, values: lb.categories.map((c) => num(m.categories[c])) })), 'Category averages (0-100)'));
    }
    body.push(`<div class="charts">${charts.join('')}</div>`);
  }
  body.push('<h2>Scores</h2>');
  body.push(many ? modelRowsTable(lb) : modelColumnsTable(lb));
  if (top.length >= 2) {
    const ref = top[0];
    const charts = top.slice(1).map((m) => {
      const deltas = lb.tasks.map((t) => {
        const a = num(ref.tasks[t.name]?.value);
        const b = num(m.tasks[t.name]?.value);
        return { label: taskLabel(t), delta: a === null || b === null ? null : b - a, note: a === null ? `missing for ${ref.model}` : b === null ? `missing for ${m.model}` : undefined };
      });
      return deltaBarsSvg(deltas, `${m.model} minus ${ref.model}`);
    });
    const title = `Per-task differences against ${h(ref.model)}${top.length < models.length ? ` (top ${top.length})` : ''}`;
    body.push(many ? `<details><summary><h2 style="display:inline">${title}</h2></summary>${charts.join('\n')}</details>` : `<h2>${title}</h2>${charts.join('\n')}`);
  }
  const warned = models.filter((m) => m.warnings.length);
  if (warned.length) {
    body.push(`<h2>Warnings (${warned.length} model(s))</h2>`);
    for (const m of warned) {
      const list = `<ul class="warn">${m.warnings.map((w) => `<li>${h(w)}</li>`).join('')}</ul>`;
      body.push(many ? `<details><summary>${h(m.model)} (${m.warnings.length})</summary>${list}</details>` : `<h3>${h(m.model)}</h3>${list}`);
    }
  }
  return page(`${lb.benchmark} leaderboard`, body.join('\n'), { sortable: many });
}
