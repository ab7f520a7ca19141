import { escapeHtml as h, fmt, fmtDelta } from '../format.js';

/**
 * Ten distinct colours: Okabe-Ito (colour-blind safe) without its black and its yellow (too pale on white),
 * then Paul Tol's wine, olive, indigo and teal; series i gets PALETTE[i]. Charts never show more series than
 * this (the top N models), so no two series share a colour.
 */
export const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#882255', '#999933', '#332288', '#44AA99'];
export const TOP_N = PALETTE.length;
const UP = '#1a7f37';
const DOWN = '#cf222e';
const AXIS = '#57606a';
const GRID = '#d0d7de';

/** Truncated label for a chart (the full text is in the element's <title>). */
function short(s: string, n: number): string {
  const cs = [...s];
  return cs.length <= n ? s : cs.slice(0, n - 1).join('') + '…';
}

/** An SVG that scales to its box: natural size as width/height, shrinks with `max-width:100%` (class chart). */
function svgOpen(width: number, height: number, title: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${h(title)}">`;
}

/** Axis domain on the 0-100 scale, extended below 0 when a value is negative (and above 100 if ever needed). */
function domain(values: Array<number | null | undefined>): [number, number] {
  const xs = values.filter((v): v is number => v !== null && v !== undefined && Number.isFinite(v));
  const lo = Math.min(0, ...xs);
  const hi = Math.max(100, ...xs);
  return [lo < 0 ? Math.floor(lo / 10) * 10 : 0, Math.ceil(hi / 10) * 10];
}

/** HTML legend (wraps on a phone, unlike SVG text): one swatch per series. */
export function legendHtml(names: string[]): string {
  return `<ul class="legend">${names.map((n, i) => `<li><span class="sw" style="background:${PALETTE[i % PALETTE.length]}"></span>${h(n)}</li>`).join('')}</ul>`;
}

/**
 * Horizontal grouped bars: one group per label (a category), one thin bar per series (a model), value at the
 * bar's end; a negative value draws leftwards from the zero line. Values on the 0-100 scale.
 */
export function groupedBarsSvg(labels: string[], series: Array<{ name: string; values: Array<number | null> }>, title: string): string {
  const labelW = 150;
  const plotW = 340;
  const valueW = 56;
  const barH = 9;
  const groupGap = 22;
  const top = 28;
  const width = labelW + plotW + valueW;
  const groupH = series.length * barH + groupGap;
  const height = top + labels.length * groupH + 18;
  const [lo, hi] = domain(series.flatMap((s) => s.values));
  const x = (v: number) => labelW + ((v - lo) / (hi - lo)) * plotW;
  const parts: string[] = [svgOpen(width, height, title), `<text x="0" y="16" font-size="14" font-weight="600">${h(title)}</text>`];
  for (let v = lo; v <= hi; v += 20) {
    parts.push(`<line x1="${x(v)}" x2="${x(v)}" y1="${top - 4}" y2="${height - 16}" stroke="${v === 0 ? AXIS : GRID}" stroke-width="1"/>`);
    parts.push(`<text x="${x(v)}" y="${height - 4}" font-size="10" text-anchor="middle">${v}</text>`);
  }
  labels.forEach((label, gi) => {
    const gy = top + gi * groupH;
    parts.push(`<text x="${labelW - 8}" y="${gy + (series.length * barH) / 2 + 4}" font-size="12" text-anchor="end">${h(short(label, 22))}<title>${h(label)}</title></text>`);
    series.forEach((s, si) => {
      const v = s.values[gi];
      const y = gy + si * barH;
      if (v === null || v === undefined) {
        parts.push(`<text x="${x(0) + 3}" y="${y + barH - 1}" font-size="9" fill="#9a6700">blank<title>${h(`${s.name} · ${label}: blank`)}</title></text>`);
        return;
      }
      const x0 = Math.min(x(0), x(v));
      parts.push(`<rect x="${x0}" y="${y + 1}" width="${Math.max(1, Math.abs(x(v) - x(0)))}" height="${barH - 2}" fill="${PALETTE[si % PALETTE.length]}"><title>${h(`${s.name} · ${label}: ${fmt(v)}`)}</title></rect>`);
      parts.push(`<text x="${labelW + plotW + 4}" y="${y + barH - 1}" font-size="9" fill="${v < 0 ? DOWN : AXIS}">${fmt(v)}</text>`);
    });
  });
  parts.push('</svg>');
  return parts.join('');
}

/** One bar per row (model averages), coloured like the legend; a blank value says so instead of drawing 0. */
export function barsSvg(rows: Array<{ label: string; value: number | null; note?: string }>, title: string): string {
  const labelW = 210;
  const plotW = 280;
  const valueW = 56;
  const rowH = 18;
  const top = 28;
  const width = labelW + plotW + valueW;
  const height = top + rows.length * rowH + 18;
  const [lo, hi] = domain(rows.map((r) => r.value));
  const x = (v: number) => labelW + ((v - lo) / (hi - lo)) * plotW;
  const parts: string[] = [svgOpen(width, height, title), `<text x="0" y="16" font-size="14" font-weight="600">${h(title)}</text>`];
  for (let v = lo; v <= hi; v += 20) {
    parts.push(`<line x1="${x(v)}" x2="${x(v)}" y1="${top - 4}" y2="${height - 16}" stroke="${v === 0 ? AXIS : GRID}" stroke-width="1"/>`);
    parts.push(`<text x="${x(v)}" y="${height - 4}" font-size="10" text-anchor="middle">${v}</text>`);
  }
  rows.forEach((r, i) => {
    const y = top + i * rowH;
    parts.push(`<text x="${labelW - 8}" y="${y + 13}" font-size="11" text-anchor="end">${h(short(r.label, 30))}<title>${h(r.label)}</title></text>`);
    if (r.value === null) {
      parts.push(`<text x="${x(0) + 4}" y="${y + 13}" font-size="11" fill="#9a6700">${h(r.note ?? 'blank')}</text>`);
      return;
    }
    const x0 = Math.min(x(0), x(r.value));
    parts.push(`<rect x="${x0}" y="${y + 3}" width="${Math.max(1, Math.abs(x(r.value) - x(0)))}" height="${rowH - 6}" fill="${PALETTE[i % PALETTE.length]}"><title>${h(`${r.label}: ${fmt(r.value)}`)}</title></rect>`);
    parts.push(`<text x="${labelW + plotW + 4}" y="${y + 13}" font-size="11" fill="${r.value < 0 ? DOWN : AXIS}">${fmt(r.value)}</text>`);
  });
  parts.push('</svg>');
  return parts.join('');
}

/** Horizontal diverging bars of per-task deltas (candidate - reference), zero in the middle. */
export function deltaBarsSvg(rows: Array<{ label: string; delta: number | null; marker?: string; note?: string }>, title: string): string {
  const labelW = 200;
  const half = 140;
  const valueW = 70;
  const rowH = 15;
  const top = 30;
  const width = labelW + 2 * half + valueW;
  const height = top + rows.length * rowH + 20;
  const maxAbs = Math.max(1, ...rows.map((r) => Math.abs(r.delta ?? 0)));
  const zero = labelW + half;
  const parts: string[] = [svgOpen(width, height, title)];
  parts.push(`<text x="0" y="18" font-size="14" font-weight="600">${h(short(title, 64))}<title>${h(title)}</title></text>`);
  parts.push(`<line x1="${zero}" x2="${zero}" y1="${top - 4}" y2="${height - 16}" stroke="${AXIS}"/>`);
  parts.push(`<text x="${zero - half}" y="${height - 4}" font-size="10">${fmtDelta(-maxAbs)}</text><text x="${zero + half}" y="${height - 4}" font-size="10" text-anchor="end">${fmtDelta(maxAbs)}</text>`);
  rows.forEach((r, i) => {
    const yy = top + i * rowH;
    parts.push(`<text x="${labelW - 8}" y="${yy + 11}" font-size="11" text-anchor="end">${h(short(r.label, 30))}<title>${h(r.label)}</title></text>`);
    if (r.delta === null) {
      parts.push(`<text x="${zero + 4}" y="${yy + 11}" font-size="10" fill="#9a6700">${h(short(r.note ?? 'missing', 40))}<title>${h(r.note ?? 'missing')}</title></text>`);
      return;
    }
    const w = (Math.abs(r.delta) / maxAbs) * half;
    const x0 = r.delta >= 0 ? zero : zero - w;
    parts.push(`<rect x="${x0}" y="${yy + 2}" width="${Math.max(0.5, w)}" height="${rowH - 4}" fill="${r.delta >= 0 ? UP : DOWN}"><title>${h(`${r.label}: ${fmtDelta(r.delta)}`)}</title></rect>`);
    // Values sit in their own column so a full-length bar never runs into its label.
    parts.push(`<text x="${zero + half + 6}" y="${yy + 11}" font-size="10" fill="${r.delta >= 0 ? UP : DOWN}">${h(fmtDelta(r.delta) + (r.marker ?? ''))}</text>`);
  });
  parts.push('</svg>');
  return parts.join('');
}
