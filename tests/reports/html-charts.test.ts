import { describe, expect, test } from '@jest/globals';
import { PALETTE, TOP_N, barsSvg, deltaBarsSvg, groupedBarsSvg } from '../../reports/html.js';
import { leaderboardHtml } from '../../reports/html/leaderboard.js';
import { buildLeaderboard } from '../../src/leaderboard/build.js';
import { syntheticLeaderboard } from './synthetic-leaderboard.js';

const rects = (svg: string) => [...svg.matchAll(/<rect x="([\d.]+)" y="[\d.]+" width="([\d.]+)"[^>]*fill="(#[0-9A-Fa-f]{6})"/g)].map((m) => ({ x: Number(m[1]), w: Number(m[2]), fill: m[3] }));

describe('HTML charts', () => {
  test('ten distinct colours, so the top-N series never share one', () => {
    expect(TOP_N).toBe(10);
    expect(new Set(PALETTE.map((c) => c.toLowerCase())).size).toBe(10);
  });
  test('a negative value is drawn leftwards of the zero line, and the axis extends below 0', () => {
    const svg = barsSvg([{ label: 'a', value: 50 }, { label: 'b', value: -12.5 }], 'avg');
    const [pos, neg] = rects(svg);
    // Domain [-20, 100] over 280 px from x=210: zero at 210 + 20/120*280.
    const zero = 210 + (20 / 120) * 280;
    expect(pos.x).toBeCloseTo(zero, 6);
    expect(neg.x + neg.w).toBeCloseTo(zero, 6);
    expect(neg.w).toBeCloseTo((12.5 / 120) * 280, 6);
    expect(svg).toContain('>-20</text>');
    expect(svg).toContain('fill="#cf222e">-12.50</text>');
    const g = groupedBarsSvg(['STS'], [{ name: 'x', values: [-5] }, { name: 'y', values: [null] }], 'cats');
    expect(rects(g)).toHaveLength(1);
    expect(g).toContain('>blank<title>y · STS: blank</title>');
  });
  test('charts scale to their box: a viewBox and the chart class, no fixed page width', () => {
    for (const svg of [barsSvg([{ label: 'a', value: 1 }], 't'), deltaBarsSvg([{ label: 'a', delta: -1 }], 't'), groupedBarsSvg(['a'], [{ name: 'x', values: [1] }], 't')]) {
      expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" class="chart" viewBox="0 0 \d+ \d+"/);
    }
  });
  test('a blank delta row says why', () => {
    expect(deltaBarsSvg([{ label: 'MSMARCO', delta: null, note: 'missing on the baseline (no split "dev")' }], 't')).toContain('missing on the baseline (no split &quot;dev&quot;)');
  });
  test('320 models: charts hold the top 10 only, the table all 320, blank averages explained in their cell', () => {
    const lb = syntheticLeaderboard(buildLeaderboard(['fixtures/results/snapshot/results'], { benchmark: 'MTEB(eng, v1)' }), 320);
    const html = leaderboardHtml(lb);
    const avgChart = html.match(/<svg [^>]*aria-label="Average \(56 tasks\)">[\s\S]*?<\/svg>/)![0];
    expect(rects(avgChart).map((r) => r.fill)).toEqual(PALETTE);
    expect((html.split('<tbody>')[1].match(/<tr>/g) ?? []).length).toBe(320);
    expect(html).toMatch(/<td class="n blank"><span class="why" title="missing: [^"]+">blank: \d of 56 tasks missing<\/span><\/td>/);
    expect(html).toContain('<span class="why" title="MSMARCO: results:no_revision_available/MSMARCO.json unusable: no split &quot;dev&quot; (has [&quot;test&quot;]); a &quot;test&quot; split is not used as &quot;dev&quot; (mteb leaves the task blank; --accept-split-mislabels uses it)">blank: MSMARCO: no split &quot;dev&quot; (has [&quot;test&quot;])</span>');
  });
});
