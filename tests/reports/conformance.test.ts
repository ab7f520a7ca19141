import { describe, test, expect } from '@jest/globals';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { compareRuns } from '../../src/compare/compare.js';
import type { Comparison } from '../../src/compare/types.js';
import { DEFAULT_GATE_RULES, evaluateGate } from '../../src/gate/gate.js';
import type { GateVerdict } from '../../src/gate/gate.js';
import { buildLeaderboard } from '../../src/leaderboard/build.js';
import type { Leaderboard } from '../../src/leaderboard/types.js';
import { REPORTERS, formatsFor, getReporter, renderReport } from '../../reports/index.js';
import type { ReportKind } from '../../reports/index.js';
import { HAVE_SHARED, RESULTS, SELF_REPORTED } from '../leaderboard/shared.js';
import { countColour, decodePng } from './png.js';
import { SORT_SCRIPT } from '../../reports/html/page.js';

const EVIL_MODEL = 'evil/<script>alert(1)</script>|**bold**[x](http://e.vil)';
const EVIL_WARN = '<img src=x onerror=alert(1)> | `tick` & "quote"\nsecond line';

function hostileLeaderboard(): Leaderboard {
  const lb = buildLeaderboard(['fixtures/results/formats', 'fixtures/results/runs/baseline'], { benchmark: 'MTEB(eng, v1)' });
  const copy = structuredClone(lb);
  copy.models[0].model = EVIL_MODEL;
  copy.models[0].revision = '<b>rev</b>';
  copy.models[0].warnings.push(EVIL_WARN);
  return copy;
}
function hostileComparison(): Comparison {
  const cmp = compareRuns(['fixtures/results/runs/baseline'], ['fixtures/results/runs/candidate'], { benchmark: 'MTEB(eng, v2)', iterations: 300 });
  cmp.baseline.model = EVIL_MODEL;
  cmp.warnings.push(EVIL_WARN);
  return cmp;
}
const data: Record<ReportKind, () => Leaderboard | Comparison | GateVerdict> = {
  leaderboard: hostileLeaderboard,
  comparison: hostileComparison,
  gate: () => evaluateGate(hostileComparison(), { ...DEFAULT_GATE_RULES, allowMissing: true }),
};
const XMLLINT = ['/usr/bin/xmllint', '/usr/local/bin/xmllint'].find(existsSync);
const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find(existsSync);

/** Count of `|` not escaped with a backslash: equal on every row of a well-formed Markdown table. */
const pipes = (line: string) => (line.replace(/\\\\/g, '').match(/(?<!\\)\|/g) ?? []).length;

describe('reporter conformance', () => {
  const kinds: ReportKind[] = ['leaderboard', 'comparison', 'gate'];
  const cache = Object.fromEntries(kinds.map((k) => [k, data[k]()])) as Record<ReportKind, any>;
  test('every kind has at least the table, markdown and json formats', () => {
    for (const k of kinds) expect(formatsFor(k)).toEqual(expect.arrayContaining(['table', 'markdown', 'json']));
    expect(formatsFor('leaderboard')).toEqual(['table', 'markdown', 'html', 'json']);
    expect(formatsFor('gate')).toEqual(['table', 'markdown', 'json', 'junit', 'github-summary']);
    expect(() => getReporter('junit', 'leaderboard')).toThrow(/format "junit" cannot render a leaderboard \(choose: table, markdown, html, json\)/);
  });
  for (const r of REPORTERS) {
    for (const k of kinds) {
      if (!r[k]) continue;
      test(`${r.name} / ${k}: deterministic, newline-terminated, hostile text neutralised`, () => {
        const text = (r[k] as (x: unknown) => string)(cache[k]);
        expect(text.length).toBeGreaterThan(100);
        expect(text.endsWith('\n')).toBe(true);
        expect((r[k] as (x: unknown) => string)(cache[k])).toBe(text);
        if (r.name !== 'json' && r.name !== 'table') {
          expect(text).not.toMatch(/<script|<img|<b>rev/i);
        }
        if (r.name === 'html') expect(text).toContain('evil/&lt;script&gt;alert(1)&lt;/script&gt;|**bold**');
        if (r.name === 'markdown' || r.name === 'github-summary') {
          expect(text).toContain('evil/&lt;script&gt;alert(1)&lt;/script&gt;\\|\\*\\*bold\\*\\*\\[x\\](http://e.vil)');
          for (const block of text.split('\n\n')) {
            const rows = block.split('\n').filter((l) => l.startsWith('|'));
            if (rows.length) expect(new Set(rows.map(pipes)).size).toBe(1);
          }
        }
        if (r.name === 'json') expect(JSON.stringify(JSON.parse(text))).toContain(JSON.stringify(EVIL_MODEL).slice(1, -1));
        if (r.name === 'table') {
          expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f]/);
          expect(text.split('\n').length).toBeGreaterThan(5);
          expect(text).not.toMatch(/┐\?/); // line breaks survive the control-character filter
        }
      });
    }
  }
  test('json leaderboard has the documented shape on the 0-100 scale', () => {
    const doc = JSON.parse(renderReport(buildLeaderboard(['fixtures/results/runs/baseline'], { benchmark: 'MTEB(eng, v2)' }), 'json'));
    expect(Object.keys(doc)).toEqual(['benchmark', 'mode', 'models']);
    const m = doc.models[0];
    expect(Object.keys(m)).toEqual(['model', 'revision', 'rank', 'average', 'typeAverage', 'borda', 'categories', 'tasks', 'sources', 'layers', 'warnings', 'unusable', 'meta']);
    expect(m.meta).toEqual({ name: 'acme/embed-small', revision: '1111aaaa1111aaaa1111aaaa1111aaaa1111aaaa' });
    expect(m.model).toBe('acme/embed-small');
    expect(m.average).toBeNull();
    expect(m.tasks.STS12).toBeCloseTo(73.87475, 4);
    expect(m.tasks.SCIDOCS).toBeNull();
    expect(Object.keys(m.categories)).toEqual(['Classification', 'Clustering', 'PairClassification', 'Reranking', 'Retrieval', 'STS', 'Summarization']);
  });
  test('html is self-contained: no scripts, links or external URLs', () => {
    const html = renderReport(hostileLeaderboard(), 'html');
    expect(html).not.toMatch(/<(script|link|img|iframe|object|embed)\b/i);
    expect(html).not.toMatch(/<[^>]*\s(src|href)=/i); // no attribute can load anything
    expect(html.match(/<style>[^<]*<\/style>/)![0]).not.toMatch(/url\(|@import/);
    expect(html.match(/https?:\/\/[^"\s<]+/g)?.filter((u) => u !== 'http://www.w3.org/2000/svg' && u !== 'http://e.vil)')).toEqual([]);
    expect((html.match(/<svg /g) ?? []).length).toBe(2); // category bars + one delta chart (2 models)
  });
  test('html with many models: the only script is the inline sort script; hostile names stay text', () => {
    const lb = hostileLeaderboard();
    const many = { ...lb, models: Array.from({ length: 6 }, (_, i) => ({ ...structuredClone(lb.models[i % lb.models.length]), model: i === 0 ? EVIL_MODEL : `m${i}` })) };
    const html = renderReport(many, 'html');
    expect(html.match(/<script>[\s\S]*?<\/script>/g)).toEqual([`<script>${SORT_SCRIPT}</script>`]);
    expect(html).not.toMatch(/<[^>]*\s(src|href)=/i);
    expect(html).toContain('<table id="scores" class="sortable">');
    expect(html).toContain(`data-v="evil/&lt;script&gt;alert(1)&lt;/script&gt;|**bold**[x](http://e.vil)"`);
  });
});

describe('JUnit output validates against fixtures/junit/junit.xsd', () => {
  if (!XMLLINT) console.warn('SKIP JUnit XSD validation: xmllint not found (apt-get install -y libxml2-utils)');
  (XMLLINT ? test : test.skip)('gate verdicts (passing, failing, unusable) validate', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'junit-'));
    const cmp = hostileComparison();
    const verdicts = [
      evaluateGate(cmp, { ...DEFAULT_GATE_RULES, allowMissing: true }),
      evaluateGate(cmp, { ...DEFAULT_GATE_RULES, allowMissing: true, significantOnly: true, maxCategoryDrop: 5 }),
      evaluateGate(cmp),
    ];
    expect(verdicts.map((v) => [v.passed, v.problems.length > 0])).toEqual([[false, false], [true, false], [false, true]]);
    verdicts.forEach((v, i) => {
      const file = path.join(dir, `junit-${i}.xml`);
      writeFileSync(file, getReporter('junit', 'gate').gate!(v));
      const res = spawnSync(XMLLINT!, ['--noout', '--schema', 'fixtures/junit/junit.xsd', file], { encoding: 'utf8' });
      expect(res.stderr.trim()).toBe(`${file} validates`);
      expect(res.status).toBe(0);
    });
    const xml = readFileSync(path.join(dir, 'junit-2.xml'), 'utf8');
    // The verdict groups the 38 missing tasks into one problem; JUnit still gives each its own red testcase.
    expect(xml).toContain('<error type="unusable-input" message="AmazonCounterfactualClassification: missing on both sides (no result file) (use --allow-missing to skip it)">');
    expect((xml.match(/<error /g) ?? []).length).toBe(38);
    expect(xml).not.toContain('inputs #1');
  });
  (XMLLINT ? test : test.skip)('the schema rejects a malformed report (the check can fail)', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'junit-'));
    const file = path.join(dir, 'bad.xml');
    writeFileSync(file, '<testsuites><testsuite name="x" tests="one"><testcase name="t"/></testsuite></testsuites>');
    const res = spawnSync(XMLLINT!, ['--noout', '--schema', 'fixtures/junit/junit.xsd', file], { encoding: 'utf8' });
    expect(res.status).not.toBe(0);
  });
});

describe('HTML report renders offline in headless Chromium', () => {
  if (!CHROMIUM) console.warn('SKIP HTML screenshot test: chromium not found (apt-get install -y chromium)');
  (CHROMIUM ? test : test.skip)('screenshot shows the table and the category bars in every model colour', () => {
    const lb = HAVE_SHARED
      ? buildLeaderboard([RESULTS], { benchmark: 'MTEB(eng, v1)', ...SELF_REPORTED })
      : buildLeaderboard(['fixtures/results/formats', 'fixtures/results/runs/baseline'], { benchmark: 'MTEB(eng, v2)' });
    const dir = mkdtempSync(path.join(os.tmpdir(), 'html-'));
    const html = path.join(dir, 'report.html');
    const png = path.join(dir, 'shot.png');
    writeFileSync(html, renderReport(lb, 'html'));
    execFileSync(CHROMIUM!, [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', `--user-data-dir=${mkdtempSync(path.join(os.tmpdir(), 'chromium-'))}`,
      `--screenshot=${png}`, '--window-size=1400,1000', `file://${html}`,
    ], { stdio: 'ignore', timeout: 60000 });
    const img = decodePng(readFileSync(png));
    expect([img.width, img.height]).toEqual([1400, 1000]);
    const palette = ['#0072B2', '#E69F00', '#009E73', '#CC79A7'].slice(0, lb.models.length);
    // The real four-model leaderboard draws large bars; the small fixture fallback (no ../shared) draws thin ones.
    for (const c of palette) expect(countColour(img, c)).toBeGreaterThan(HAVE_SHARED ? 500 : 50);
    // Text and table borders: a rendered page is far from uniform white.
    expect(countColour(img, '#1f2328', 40)).toBeGreaterThan(2000);
  }, 90000);
});
