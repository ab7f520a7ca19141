import { describe, expect, test } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { compareRuns } from '../../src/compare/compare.js';
import { buildLeaderboard } from '../../src/leaderboard/build.js';
import { PALETTE } from '../../reports/html.js';
import { renderComparison, renderReport } from '../../reports/index.js';
import { RESULTS } from '../leaderboard/shared.js';
import { colourHistogram, countIn, decodePng } from './png.js';
import { syntheticLeaderboard } from './synthetic-leaderboard.js';

/**
 * The HTML report and compare page in headless Chromium at 1400 px and 390 px (a phone), for 17 real models
 * (the snapshot, the official NV-Embed/SFR/e5-mistral folders and a fixture run) and for 320 (the same grown by
 * tests/reports/synthetic-leaderboard.ts). Each page is checked for sideways scrolling by a probe script added to
 * a copy of the page, and screenshotted. `UPDATE_DOCS_IMAGES=1` copies the screenshots to docs/img/ (embedded in
 * docs/reports.md); the committed ones are checked for size and width here too.
 */
const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find(existsSync);
const WIDTHS = [1400, 390] as const;
const IMG = path.resolve('docs/img');
const HEIGHT = 1400;

/**
 * Paints a 40 px square at the top left, green when the page is no wider than the window and magenta when it
 * scrolls sideways, and a blue bar half the window's layout width (so the test also sees which width the
 * page was laid out for: headless Chromium's --dump-dom never lays out narrower than 500 px).
 */
const PROBE = `(function(){var ok=document.documentElement.scrollWidth<=window.innerWidth;
var a=document.createElement('div');a.style.cssText='position:fixed;left:0;top:0;width:40px;height:40px;z-index:99;background:'+(ok?'#00ff00':'#ff00ff');document.body.appendChild(a);
var b=document.createElement('div');b.style.cssText='position:fixed;left:0;top:44px;height:4px;z-index:99;background:#0000ff;width:'+(window.innerWidth/2)+'px';document.body.appendChild(b);})();`;

function shoot(html: string, width: number, height: number, dir: string, name: string): string {
  const file = path.join(dir, `${name}.html`);
  const frame = path.join(dir, `${name}-frame.html`);
  const png = path.join(dir, `${name}.png`);
  writeFileSync(file, html);
  // Headless Chromium never lays a window out narrower than 500 px (a 390 px screenshot is a crop of a 500 px
  // page): the page goes into an iframe of exactly `width` px, which is the viewport it sees.
  writeFileSync(frame, `<!DOCTYPE html><html><body style="margin:0"><iframe src="${path.basename(file)}" style="width:${width}px;height:${height}px;border:0;display:block"></iframe></body></html>`);
  execFileSync(CHROMIUM!, [
    '--headless', '--no-sandbox', '--disable-gpu', '--hide-scrollbars', '--force-device-scale-factor=1',
    '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run',
    `--user-data-dir=${mkdtempSync(path.join(os.tmpdir(), 'chromium-'))}`, `--screenshot=${png}`, `--window-size=${width},${height}`, `file://${frame}`,
  ], { stdio: 'ignore', timeout: 60000 });
  return png;
}

const px = (img: ReturnType<typeof decodePng>, x: number, y: number) => Array.from(img.rgba.slice((y * img.width + x) * 4, (y * img.width + x) * 4 + 3));

/** What the probe saw: overflow (true = sideways scroll) and whether the layout width is the window's. */
function probe(html: string, width: number, dir: string, name: string): { scrolls: boolean; laidOutAt: boolean } {
  const img = decodePng(readFileSync(shoot(html.replace('</body>', `<script>${PROBE}</script></body>`), width, 600, dir, `${name}-probe`)));
  const corner = px(img, 10, 10);
  const half = Math.round(width / 2);
  const blue = (x: number) => px(img, x, 46).join() === '0,0,255';
  return { scrolls: corner.join() === '255,0,255', laidOutAt: blue(half - 3) && !blue(half + 3) };
}

const ready = Boolean(CHROMIUM);
if (!ready) console.warn('SKIP HTML screenshot tests: chromium not found (apt-get install -y chromium)');
const d = ready ? describe : describe.skip;

d('HTML pages in headless Chromium at 1400 and 390 px', () => {
  const lb17 = buildLeaderboard(['fixtures/results/snapshot/results', RESULTS, 'fixtures/results/runs/baseline'], { benchmark: 'MTEB(eng, v1)' });
  const lb320 = syntheticLeaderboard(lb17, 320);
  const cmp = compareRuns([path.join(RESULTS, 'nvidia__NV-Embed-v1')], [path.join(RESULTS, 'nvidia__NV-Embed-v2')], { benchmark: 'MTEB(eng, v1)', iterations: 200 });
  const pages: Array<[string, string, string[]]> = [
    ['report-17', renderReport(lb17, 'html'), PALETTE],
    ['report-320', renderReport(lb320, 'html'), PALETTE],
    ['compare', renderComparison(cmp, 'html'), PALETTE.slice(0, 2)],
  ];
  const dir = mkdtempSync(path.join(os.tmpdir(), 'shots-'));
  test('the inputs are what the screenshots claim: 17 real models, 320 models, blanks explained', () => {
    expect([lb17.models.length, lb320.models.length]).toEqual([17, 320]);
    expect(pages[0][1]).toContain('blank: MSMARCO: no split &quot;dev&quot; (has [&quot;test&quot;])');
    expect(pages[1][1]).toContain('Charts: the top 10 of 320 models by rank; the table below has them all.');
    expect(pages[2][1]).toContain('missing on both sides (no subset &quot;en&quot; in split &quot;test&quot; (holds only non-English subsets [&quot;ru&quot;]))');
  });
  for (const [name, html, colours] of pages) {
    for (const width of WIDTHS) {
      test(`${name} at ${width} px: no sideways page scroll, every series colour drawn`, () => {
        const seen = probe(html, width, dir, `${name}-${width}`);
        expect(seen).toEqual({ scrolls: false, laidOutAt: true });
        const png = shoot(html, width, HEIGHT, dir, `${name}-${width}`);
        const img = decodePng(readFileSync(png));
        expect([img.width, img.height]).toEqual([width, HEIGHT]);
        const hist = colourHistogram(img);
        for (const c of colours) expect(countIn(hist, c)).toBeGreaterThan(width === 1400 ? 300 : 100);
        expect(countIn(hist, '#1f2328', 40)).toBeGreaterThan(2000); // text: a rendered page, not a blank one
        if (process.env.UPDATE_DOCS_IMAGES === '1') {
          mkdirSync(IMG, { recursive: true });
          copyFileSync(png, path.join(IMG, `${name}-${width}.png`));
        }
      }, 120000);
    }
  }
  test('the probe can fail: the 320-model table outside its scroll box widens the page', () => {
    const unboxed = pages[1][1].replace(/<div class="box">/g, '<div>');
    expect(probe(unboxed, 390, dir, 'unboxed')).toEqual({ scrolls: true, laidOutAt: true });
  }, 120000);
});

describe('committed screenshots (docs/img, embedded in docs/reports.md)', () => {
  const names = ['report-17', 'report-320', 'compare'].flatMap((n) => WIDTHS.map((w) => [`${n}-${w}.png`, w] as const));
  test.each(names)('%s: under 500 KB, %i px wide, referenced by docs/reports.md', (file, width) => {
    const f = path.join(IMG, file);
    expect(statSync(f).size).toBeLessThan(500 * 1024);
    expect(decodePng(readFileSync(f)).width).toBe(width);
    expect(readFileSync('docs/reports.md', 'utf8')).toContain(`img/${file}`);
  });
});

d('the sortable table in headless Chromium', () => {
  test('a header click sorts by that column (numbers best first, then ascending), blanks stay last', () => {
    const lb = buildLeaderboard(['fixtures/results/snapshot/results', RESULTS, 'fixtures/results/runs/baseline'], { benchmark: 'MTEB(eng, v1)' });
    const dir = mkdtempSync(path.join(os.tmpdir(), 'sort-'));
    const file = path.join(dir, 'sort.html');
    // Click "STS (10)" once (descending) and record the model order, then again (ascending).
    const script = `(function(){var t=document.getElementById('scores');var th=Array.prototype.find.call(t.tHead.rows[0].cells,function(c){return c.textContent==='STS (10)';});
function order(){return Array.prototype.map.call(t.tBodies[0].rows,function(r){return r.cells[1].textContent;}).join('|');}
th.click();var a=order();th.click();var b=order();document.body.setAttribute('data-desc',a);document.body.setAttribute('data-asc',b);})();`;
    writeFileSync(file, renderReport(lb, 'html').replace('</body>', `<script>${script}</script></body>`));
    const dom = execFileSync(CHROMIUM!, ['--headless', '--no-sandbox', '--disable-gpu', `--user-data-dir=${mkdtempSync(path.join(os.tmpdir(), 'chromium-'))}`, '--dump-dom', `file://${file}`], { encoding: 'utf8', timeout: 60000, stdio: ['ignore', 'pipe', 'ignore'] });
    const desc = /data-desc="([^"]*)"/.exec(dom)![1].split('|');
    const asc = /data-asc="([^"]*)"/.exec(dom)![1].split('|');
    const sts = (m: string) => lb.models.find((x) => x.model === m)!.categories.STS ?? null;
    expect(desc).toHaveLength(17);
    // Rank order is by average; the STS order differs (SFR-Embedding-Mistral's STS mean is the highest of the 17).
    expect(desc[0]).toBe('Salesforce/SFR-Embedding-Mistral');
    expect(desc).not.toEqual(lb.models.map((m) => m.model));
    const values = desc.map(sts);
    const firstBlank = values.indexOf(null);
    expect(values.slice(0, firstBlank)).toEqual([...values.slice(0, firstBlank)].sort((x, y) => y! - x!));
    expect(values.slice(firstBlank).every((v) => v === null)).toBe(true);
    const up = asc.map(sts);
    expect(up.slice(0, firstBlank)).toEqual([...values.slice(0, firstBlank)].reverse());
    expect(up.slice(firstBlank).every((v) => v === null)).toBe(true);
  }, 120000);
});
