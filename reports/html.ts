import type { Comparison } from '../src/compare/types.js';
import type { Leaderboard } from '../src/leaderboard/types.js';
import { escapeHtml as h, fmt, fmtDelta, fmtP, taskLabel } from './format.js';
import type { Reporter } from './reporter.js';

/** Colour-blind-safe palette (Okabe-Ito); model i gets PALETTE[i % n]. */
const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#000000'];
const UP = '#1a7f37';
const DOWN = '#cf222e';

const STYLE = `
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:24px;color:#1f2328;background:#fff}
h1{font-size:22px;margin:0 0 8px}h2{font-size:18px;margin:28px 0 8px}
table{border-collapse:collapse;font-size:13px}th,td{border:1px solid #d0d7de;padding:3px 8px}
th{background:#f6f8fa;text-align:left}td.n{text-align:right;font-variant-numeric:tabular-nums}
tr.agg td{font-weight:600;background:#f6f8fa}td.blank{background:#fff8c5}
.warn{color:#9a6700;font-size:13px}.meta{color:#57606a;font-size:13px}
svg text{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}`;

function page(title: string, body: string): string {
  return `<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>${h(title)}</title>\n<style>${STYLE}</style>\n</head>\n<body>\n${body}\n</body>\n</html>\n`;
}

/** Grouped vertical bars: one group per label, one bar per series; values on the 0-100 scale. */
export function groupedBarsSvg(labels: string[], series: Array<{ name: string; values: Array<number | null> }>, title: string): string {
  const groupW = Math.max(96, series.length * 18 + 20);
  const left = 40;
  const top = 30;
  const plotH = 220;
  const width = left + labels.length * groupW + 20;
  const height = top + plotH + 70 + series.length * 16;
  const y = (v: number) => top + plotH - (Math.max(0, Math.min(100, v)) / 100) * plotH;
  const parts: string[] = [`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" role="img" aria-label="${h(title)}">`];
  parts.push(`<text x="${left}" y="18" font-size="14" font-weight="600">${h(title)}</text>`);
  for (let v = 0; v <= 100; v += 20) {
    parts.push(`<line x1="${left}" x2="${width - 10}" y1="${y(v)}" y2="${y(v)}" stroke="#d0d7de" stroke-width="1"/>`);
    parts.push(`<text x="${left - 6}" y="${y(v) + 4}" font-size="10" text-anchor="end">${v}</text>`);
  }
  const barW = (groupW - 20) / Math.max(1, series.length);
  labels.forEach((label, gi) => {
    const gx = left + gi * groupW + 10;
    series.forEach((s, si) => {
      const v = s.values[gi];
      if (v === null || v === undefined) {
        parts.push(`<text x="${gx + si * barW + barW / 2}" y="${y(0) - 4}" font-size="9" text-anchor="middle" fill="#9a6700">–</text>`);
        return;
      }
      parts.push(`<rect x="${gx + si * barW}" y="${y(v)}" width="${Math.max(1, barW - 2)}" height="${y(0) - y(v)}" fill="${PALETTE[si % PALETTE.length]}"><title>${h(`${s.name} · ${label}: ${fmt(v)}`)}</title></rect>`);
    });
    parts.push(`<text x="${gx + (groupW - 20) / 2}" y="${top + plotH + 14}" font-size="11" text-anchor="middle">${h(label)}</text>`);
  });
  series.forEach((s, si) => {
    const ly = top + plotH + 36 + si * 16;
    parts.push(`<rect x="${left}" y="${ly - 9}" width="10" height="10" fill="${PALETTE[si % PALETTE.length]}"/>`);
    parts.push(`<text x="${left + 16}" y="${ly}" font-size="11">${h(s.name)}</text>`);
  });
  parts.push('</svg>');
  return parts.join('');
}

/** Horizontal diverging bars of per-task deltas (candidate - reference), zero in the middle. */
export function deltaBarsSvg(rows: Array<{ label: string; delta: number | null; marker?: string }>, title: string): string {
  const labelW = 300;
  const half = 260;
  const rowH = 15;
  const top = 30;
  const width = labelW + 2 * half + 80;
  const height = top + rows.length * rowH + 20;
  const maxAbs = Math.max(1, ...rows.map((r) => Math.abs(r.delta ?? 0)));
  const zero = labelW + half;
  const parts: string[] = [`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" role="img" aria-label="${h(title)}">`];
  parts.push(`<text x="4" y="18" font-size="14" font-weight="600">${h(title)}</text>`);
  parts.push(`<line x1="${zero}" x2="${zero}" y1="${top - 4}" y2="${height - 16}" stroke="#57606a"/>`);
  parts.push(`<text x="${zero - half}" y="${height - 4}" font-size="10">${fmtDelta(-maxAbs)}</text><text x="${zero + half}" y="${height - 4}" font-size="10" text-anchor="end">${fmtDelta(maxAbs)}</text>`);
  rows.forEach((r, i) => {
    const yy = top + i * rowH;
    parts.push(`<text x="${labelW - 10}" y="${yy + 11}" font-size="11" text-anchor="end">${h(r.label)}</text>`);
    if (r.delta === null) {
      parts.push(`<text x="${zero + 4}" y="${yy + 11}" font-size="10" fill="#9a6700">missing</text>`);
      return;
    }
    const w = (Math.abs(r.delta) / maxAbs) * half;
    const x0 = r.delta >= 0 ? zero : zero - w;
    parts.push(`<rect x="${x0}" y="${yy + 2}" width="${Math.max(0.5, w)}" height="${rowH - 4}" fill="${r.delta >= 0 ? UP : DOWN}"><title>${h(`${r.label}: ${fmtDelta(r.delta)}`)}</title></rect>`);
    // Values sit in their own column so a full-length bar never runs into its label.
    parts.push(`<text x="${zero + half + 8}" y="${yy + 11}" font-size="10" fill="${r.delta >= 0 ? UP : DOWN}">${h(fmtDelta(r.delta) + (r.marker ?? ''))}</text>`);
  });
  parts.push('</svg>');
  return parts.join('');
}

export function leaderboardHtml(lb: Leaderboard): string {
  const models = lb.models;
  const body: string[] = [`<h1>${h(lb.benchmark)} leaderboard</h1>`];
  body.push(`<p class="meta">${models.length} model(s), ${lb.tasks.length} tasks, ${lb.mode === 'classic' ? 'original leaderboard rules (per-task values rounded to 2 decimals, mean over tasks)' : 'current mteb rules (main score, mean over tasks, Borda rank)'}.</p>`);
  body.push(groupedBarsSvg(lb.categories, models.map((m) => ({ name: m.model, values: lb.categories.map((c) => m.categories[c] ?? null) })), 'Category averages (0-100)'));
  body.push('<h2>Scores</h2>');
  const cell = (v: number | null | undefined) => `<td class="n${v === null || v === undefined ? ' blank' : ''}">${fmt(v)}</td>`;
  const rows: string[] = [];
  rows.push(`<tr class="agg"><td>Rank</td>${models.map((m) => `<td class="n">${m.rank ?? ''}</td>`).join('')}</tr>`);
  rows.push(`<tr class="agg"><td>Average (${lb.tasks.length} datasets)</td>${models.map((m) => cell(m.average)).join('')}</tr>`);
  if (lb.mode === 'current') {
    rows.push(`<tr class="agg"><td>Mean (task type)</td>${models.map((m) => cell(m.typeAverage)).join('')}</tr>`);
    rows.push(`<tr class="agg"><td>Borda count</td>${models.map((m) => `<td class="n">${m.borda ?? ''}</td>`).join('')}</tr>`);
  }
  for (const c of lb.categories) rows.push(`<tr class="agg"><td>${h(c)}</td>${models.map((m) => cell(m.categories[c])).join('')}</tr>`);
  for (const t of lb.tasks) rows.push(`<tr><td>${h(taskLabel(t))}</td>${models.map((m) => cell(m.tasks[t.name]?.value)).join('')}</tr>`);
  body.push(`<table id="scores"><thead><tr><th></th>${models.map((m) => `<th>${h(m.model)}<br><span class="meta">${h(m.revision ? m.revision.slice(0, 12) : 'no revision')}</span></th>`).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table>`);
  if (models.length >= 2) {
    const ref = models[0];
    body.push(`<h2>Per-task differences against ${h(ref.model)}</h2>`);
    for (const m of models.slice(1)) {
      const deltas = lb.tasks.map((t) => {
        const a = ref.tasks[t.name]?.value;
        const b = m.tasks[t.name]?.value;
        return { label: taskLabel(t), delta: a === null || a === undefined || b === null || b === undefined ? null : b - a };
      });
      body.push(deltaBarsSvg(deltas, `${m.model} minus ${ref.model}`));
    }
  }
  const warned = models.filter((m) => m.warnings.length);
  if (warned.length) {
    body.push('<h2>Warnings</h2>');
    for (const m of warned) body.push(`<h3>${h(m.model)}</h3><ul class="warn">${m.warnings.map((w) => `<li>${h(w)}</li>`).join('')}</ul>`);
  }
  return page(`${lb.benchmark} leaderboard`, body.join('\n'));
}

export function comparisonHtml(cmp: Comparison): string {
  const body: string[] = [`<h1>${h(cmp.benchmark)}: ${h(cmp.candidate.model)} vs ${h(cmp.baseline.model)}</h1>`];
  body.push(`<p class="meta">Baseline ${h(cmp.baseline.model)} (${h(cmp.baseline.revision ?? 'no revision')}), candidate ${h(cmp.candidate.model)} (${h(cmp.candidate.revision ?? 'no revision')}). Average ${fmt(cmp.average.baseline, 'blank')} → ${fmt(cmp.average.candidate, 'blank')} (${fmtDelta(cmp.average.delta, 'n/a')}).</p>`);
  body.push(groupedBarsSvg(cmp.categories.map((c) => c.category), [
    { name: `baseline ${cmp.baseline.model}`, values: cmp.categories.map((c) => c.baseline) },
    { name: `candidate ${cmp.candidate.model}`, values: cmp.categories.map((c) => c.candidate) },
  ], 'Category averages (0-100)'));
  body.push(deltaBarsSvg(cmp.tasks.map((t) => ({ label: t.task, delta: t.delta, marker: t.significance?.significant ? ' *' : '' })), 'Per-task delta (candidate - baseline; * = significant)'));
  const rows = cmp.tasks.map((t) => {
    const s = t.significance;
    return `<tr><td>${h(t.task)}</td><td class="n">${fmt(t.baseline)}</td><td class="n">${fmt(t.candidate)}</td><td class="n">${fmtDelta(t.delta)}</td><td class="n">${s ? fmtP(s.randomization?.pValue ?? s.bootstrap?.pValue) : t.delta === null ? '' : 'unknown'}</td><td>${s ? (s.significant ? 'yes' : 'no') : t.delta === null ? 'missing' : h(t.significanceNote ?? '')}</td></tr>`;
  });
  body.push(`<table id="deltas"><thead><tr><th>Task</th><th>Baseline</th><th>Candidate</th><th>Δ</th><th>p</th><th>Significant</th></tr></thead><tbody>${rows.join('')}</tbody></table>`);
  if (cmp.warnings.length) body.push(`<ul class="warn">${cmp.warnings.map((w) => `<li>${h(w)}</li>`).join('')}</ul>`);
  return page(`${cmp.benchmark} comparison`, body.join('\n'));
}

export const htmlReporter: Reporter = { name: 'html', extension: 'html', leaderboard: leaderboardHtml, comparison: comparisonHtml };
