import { escapeHtml as h } from '../format.js';

/**
 * One stylesheet for the report and compare pages. Responsive without media-query tricks: tables scroll inside
 * their own box (`.box`), so the page itself never scrolls sideways (1400 px and 390 px are checked by
 * tests/reports/screenshots.test.ts); charts are SVGs with a viewBox that shrink to the width.
 */
const STYLE = `
*{box-sizing:border-box}
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:16px;color:#1f2328;background:#fff}
h1{font-size:22px;margin:0 0 8px;overflow-wrap:anywhere}h2{font-size:18px;margin:28px 0 8px}h3{font-size:15px;margin:12px 0 4px;overflow-wrap:anywhere}
p,li{overflow-wrap:anywhere}
.box{overflow-x:auto;max-width:100%;max-height:85vh;overflow-y:auto;border:1px solid #d0d7de}
table{border-collapse:collapse;font-size:13px}th,td{border:1px solid #d0d7de;padding:3px 8px;white-space:nowrap}
th{background:#f6f8fa;text-align:left;position:sticky;top:0;z-index:2}
th.sort{cursor:pointer;user-select:none}th.sort::after{content:" \\2195";color:#8c959f}
th[aria-sort=ascending]::after{content:" \\25B2";color:#1f2328}th[aria-sort=descending]::after{content:" \\25BC";color:#1f2328}
td.n{text-align:right;font-variant-numeric:tabular-nums}td.neg{color:#cf222e}
td.model,th.model{position:sticky;left:0;background:#fff;z-index:1;max-width:22em;overflow:hidden;text-overflow:ellipsis}th.model{z-index:3;background:#f6f8fa}
tr.agg td{font-weight:600;background:#f6f8fa}td.blank{background:#fff8c5}
.why{display:block;color:#9a6700;font-size:11px;font-weight:400;white-space:normal;max-width:18em;text-align:left}
.warn{color:#9a6700;font-size:13px}.meta{color:#57606a;font-size:13px}
svg.chart{display:block;max-width:100%;height:auto;margin:8px 0}
svg text{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
ul.legend{list-style:none;padding:0;margin:8px 0;display:flex;flex-wrap:wrap;gap:4px 16px;font-size:13px}
ul.legend li{display:flex;align-items:center;gap:6px;overflow-wrap:anywhere}
.sw{display:inline-block;width:12px;height:12px;flex:none}
details{margin:4px 0}summary{cursor:pointer}
.charts{display:flex;flex-wrap:wrap;gap:8px 32px;align-items:flex-start}.charts>svg{flex:0 1 auto}
@media (max-width:600px){body{margin:8px}h1{font-size:18px}table{font-size:12px}td.model,th.model{max-width:10em}}`;

/**
 * Click (or Enter on) a header of a `table.sortable` to sort by it: numbers best-first on the first click, text
 * A-Z; blank cells always last. Keys are the cells' `data-v`, so formatting never affects the order. Inline,
 * the page stays one self-contained file.
 */
export const SORT_SCRIPT = `(function(){
document.querySelectorAll('table.sortable').forEach(function(t){
var heads=Array.prototype.slice.call(t.tHead.rows[0].cells);
heads.forEach(function(th,i){
th.classList.add('sort');th.tabIndex=0;
function sort(){
var text=th.getAttribute('data-type')==='text';var cur=th.getAttribute('aria-sort');
var dir=cur?(cur==='ascending'?-1:1):(text?1:-1);
heads.forEach(function(x){x.removeAttribute('aria-sort');});
th.setAttribute('aria-sort',dir===1?'ascending':'descending');
var body=t.tBodies[0];var rows=Array.prototype.slice.call(body.rows);
function key(r){var v=r.cells[i].getAttribute('data-v');return v===null?'':v;}
rows.sort(function(a,b){var x=key(a),y=key(b);
if(x===''||y==='')return (x==='')-(y==='');
return dir*(text?x.localeCompare(y):Number(x)-Number(y));});
rows.forEach(function(r){body.appendChild(r);});}
th.addEventListener('click',sort);
th.addEventListener('keydown',function(e){if(e.key==='Enter'||e.key===' '){e.preventDefault();sort();}});
});});})();`;

export function page(title: string, body: string, opts: { sortable?: boolean } = {}): string {
  const script = opts.sortable ? `\n<script>${SORT_SCRIPT}</script>` : '';
  return `<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>${h(title)}</title>\n<style>${STYLE}</style>\n</head>\n<body>\n${body}${script}\n</body>\n</html>\n`;
}

/** A table in a box that scrolls by itself: wide tables never widen the page. */
export const scrollBox = (table: string) => `<div class="box">${table}</div>`;
