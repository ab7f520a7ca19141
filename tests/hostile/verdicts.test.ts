import { describe, test, expect, beforeAll } from '@jest/globals';
import { chmodSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parsePythonJson, pythonJson } from '../../src/output/python-json.js';
import { caseFolders, demoRun, runMain, snapshot } from './verdicts-harness.js';

/**
 * Class "Verdicts": every result file report/compare/gate cannot use is named with its reason and never lets a
 * gate pass. Each kind of bad file is one row; each row runs against every command.
 */
type Exit = { report: number; compare: number; gate: number; gateAllowMissing: number };
interface BadFile {
  kind: string;
  /** Error code on stderr for the file; null: no error line (the file is simply absent, or intact). */
  code: string | null;
  /** The reason the error line gives (after "result file unusable: "). */
  reason?: RegExp;
  exit: Exit;
  /** Damages (or removes) the candidate's result file. */
  make: (file: string) => void;
  /** Why a row cannot run here. */
  skip?: string;
}

const BROKEN: Exit = { report: 2, compare: 2, gate: 2, gateAllowMissing: 2 };
const rewrite = (f: string, edit: (s: string) => string) => writeFileSync(f, edit(readFileSync(f, 'utf8')));
// Result files hold NaN side metrics (Python json): read and write them the way `run` does.
const editJson = (f: string, edit: (j: any) => void) => rewrite(f, (s) => { const j = parsePythonJson(s); edit(j); return pythonJson(j); });
const ROOT = process.getuid?.() === 0;

const TABLE: BadFile[] = [
  { kind: 'intact (control)', code: null, exit: { report: 0, compare: 0, gate: 0, gateAllowMissing: 0 }, make: () => {} },
  { kind: 'absent (the only skippable case)', code: null, exit: { report: 0, compare: 0, gate: 2, gateAllowMissing: 0 }, make: (f) => rmSync(f) },
  { kind: 'truncated', reason: /^invalid JSON/, code: 'E_PARSE', exit: BROKEN, make: (f) => rewrite(f, (s) => s.slice(0, Math.floor(s.length / 2))) },
  { kind: 'invalid JSON', reason: /^invalid JSON/, code: 'E_PARSE', exit: BROKEN, make: (f) => rewrite(f, (s) => s.replace('"scores":', '"scores" =')) },
  { kind: 'empty file', reason: /^invalid JSON/, code: 'E_PARSE', exit: BROKEN, make: (f) => writeFileSync(f, '') },
  { kind: 'NaN main score (what run writes for constant vectors)', reason: /^main_score is NaN in split "test" subset "default"$/, code: 'E_BAD_VALUE', exit: BROKEN, make: (f) => rewrite(f, (s) => s.replace(/"main_score": [0-9.e-]+/, '"main_score": NaN')) },
  { kind: 'Infinity main score', reason: /^main_score is -Infinity in split "test" subset "default"$/, code: 'E_BAD_VALUE', exit: BROKEN, make: (f) => rewrite(f, (s) => s.replace(/"main_score": [0-9.e-]+/, '"main_score": -Infinity')) },
  { kind: 'main score of the wrong type', reason: /^main_score must be a number, got "0.8"$/, code: 'E_RESULTS', exit: BROKEN, make: (f) => editJson(f, (j) => (j.scores.test[0].main_score = '0.8')) },
  { kind: 'split of the wrong type', reason: /^split "test" must be a list of subset entries$/, code: 'E_RESULTS', exit: BROKEN, make: (f) => editJson(f, (j) => (j.scores.test = 'oops')) },
  { kind: 'mteb_version of the wrong type', reason: /^"mteb_version" must be a string$/, code: 'E_RESULTS', exit: BROKEN, make: (f) => editJson(f, (j) => (j.mteb_version = 1.39)) },
  { kind: 'not an object', reason: /^result file is not a JSON object$/, code: 'E_RESULTS', exit: BROKEN, make: (f) => writeFileSync(f, '[1, 2, 3]') },
  { kind: 'a directory where the file should be', reason: /^cannot read result file: EISDIR/, code: 'E_RESULTS', exit: BROKEN, make: (f) => (rmSync(f), mkdirSync(f)) },
  { kind: 'unreadable (mode 000)', reason: /^cannot read result file: EACCES/, code: 'E_RESULTS', exit: BROKEN, make: (f) => chmodSync(f, 0o000), skip: ROOT ? 'running as root: every file is readable' : undefined },
];

const TASK = 'DemoSTS';
type Cmd = keyof Exit;
const COMMANDS: Array<{ cmd: Cmd; argv: (c: Awaited<ReturnType<typeof caseFolders>>) => string[] }> = [
  { cmd: 'report', argv: (c) => ['report', c.candidate, '-b', 'demo', '--format', 'json', '--out', path.join(c.out, 'report.json')] },
  { cmd: 'compare', argv: (c) => ['compare', c.baseline, c.candidate, '-b', 'demo', '--iterations', '100', '--out', path.join(c.out, 'compare.txt')] },
  { cmd: 'gate', argv: (c) => ['gate', '--baseline', c.baseline, '--candidate', c.candidate, '-b', 'demo', '--iterations', '100', '--junit', path.join(c.out, 'junit.xml'), '--out', path.join(c.out, 'verdict.txt')] },
  { cmd: 'gateAllowMissing', argv: (c) => ['gate', '--baseline', c.baseline, '--candidate', c.candidate, '-b', 'demo', '--iterations', '100', '--allow-missing', '--junit', path.join(c.out, 'junit.xml'), '--out', path.join(c.out, 'verdict.txt')] },
];

beforeAll(async () => {
  await demoRun();
}, 60_000);

const cases = TABLE.flatMap((row) => COMMANDS.map((c) => ({ ...row, ...c, name: `${row.kind} / ${c.cmd}` })));

describe('verdicts: a bad candidate result file is named, with its reason, and never passes', () => {
  test.each(cases)('$name', async ({ make, exit, code, reason, cmd, argv, skip }) => {
    if (skip) {
      // Documented in docs/reliability.md, "Verdicts"; the row stays in the table for non-root runs.
      expect(skip).toMatch(/root/);
      return;
    }
    const c = await caseFolders();
    const file = path.join(c.candRev, `${TASK}.json`);
    make(file);
    const before = snapshot(c.root, [c.out]);
    const r = await runMain(argv(c));
    expect({ code: r.code, stderrInternal: /internal error/.test(r.stderr) }).toEqual({ code: exit[cmd], stderrInternal: false });
    const errLines = r.stderr.split('\n').filter((l) => l.startsWith('error['));
    if (code) {
      // Exactly one error line for the file (the gate adds one per other problem, e.g. nothing else here).
      const mine = errLines.filter((l) => l.includes(file));
      expect(mine).toHaveLength(1);
      const side = cmd === 'report' ? '' : 'candidate ';
      const head = `error[${code}] task ${TASK} ${file}: ${side}result file unusable: `;
      expect(mine[0].startsWith(head)).toBe(true);
      expect(mine[0].slice(head.length)).toMatch(reason!);
      expect(errLines).toHaveLength(1);
    } else if (exit[cmd] === 0) {
      expect(errLines).toEqual([]);
    } else {
      // absent file, gate without --allow-missing: "missing", and no file is blamed
      expect(errLines).toEqual([`error[E_FILE_MISSING] task ${TASK}: no result file on the candidate (use --allow-missing to skip it)`]);
    }
    if (cmd === 'gate' || cmd === 'gateAllowMissing') {
      const verdict = readFileSync(path.join(c.out, 'verdict.txt'), 'utf8');
      const junit = readFileSync(path.join(c.out, 'junit.xml'), 'utf8');
      if (exit[cmd] === 0) {
        expect(verdict.split('\n')[0]).toBe('GATE: PASSED');
        expect(junit).toMatch(/<testsuites [^>]*errors="0"/);
      } else {
        expect(verdict.split('\n')[0]).toBe('GATE: INPUTS UNUSABLE');
        expect(junit).toMatch(/<testsuites [^>]*errors="1"/);
        if (code) {
          expect(verdict).toContain(`unusable: ${TASK}: candidate result file ${file} unusable: `);
          expect(verdict).not.toContain(`${TASK}: missing`);
          expect(junit).toContain(`<error type="unusable-input" message="${TASK}: candidate result file ${file} unusable: `);
        }
      }
    }
    if (cmd === 'report') {
      // The report is still written; it names the file among the warnings.
      const doc = JSON.parse(readFileSync(path.join(c.out, 'report.json'), 'utf8'));
      const warnings: string[] = doc.models[0].warnings;
      expect(warnings.some((w) => w.startsWith(`${TASK}: acme__m:r1/${TASK}.json unusable: `))).toBe(code !== null);
    }
    expect(snapshot(c.root, [c.out])).toEqual(before);
    expect(readdirSync(c.out).length).toBeGreaterThan(0);
    rmSync(c.root, { recursive: true, force: true });
  }, 30_000);
});

describe('verdicts: a bad baseline file is the same problem for compare and gate', () => {
  test('truncated baseline file: compare and gate --allow-missing exit 2 naming it', async () => {
    const c = await caseFolders();
    const file = path.join(c.baseline, 'r1', `${TASK}.json`);
    rewrite(file, (s) => s.slice(0, 40));
    const cmp = await runMain(['compare', c.baseline, c.candidate, '-b', 'demo', '--iterations', '100']);
    expect(cmp.code).toBe(2);
    expect(cmp.stderr).toMatch(new RegExp(`^error\\[E_PARSE\\] task ${TASK} ${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: baseline result file unusable: invalid JSON`, 'm'));
    const gate = await runMain(['gate', '--baseline', c.baseline, '--candidate', c.candidate, '-b', 'demo', '--iterations', '100', '--allow-missing']);
    expect(gate.code).toBe(2);
    expect(gate.stdout).toContain(`unusable: ${TASK}: baseline result file ${file} unusable: invalid JSON`);
  }, 30_000);
});

describe('verdicts: provenance mismatches between baseline and candidate', () => {
  const everyCandidate = (c: { candRev: string }, edit: (j: any) => void) => {
    for (const f of readdirSync(c.candRev).filter((n) => /^Demo\w+\.json$/.test(n))) editJson(path.join(c.candRev, f), edit);
  };
  const gateArgs = (c: { baseline: string; candidate: string }, extra: string[] = []) => ['gate', '--baseline', c.baseline, '--candidate', c.candidate, '-b', 'demo', '--iterations', '100', ...extra];
  const MISMATCH = [
    { field: 'protocol', label: 'protocol', edit: (j: any) => (j.mteb_ts.protocol = 'mteb-2'), base: 'mteb-1', cand: 'mteb-2' },
    { field: 'mteb-version', label: 'mteb version', edit: (j: any) => (j.mteb_version = '2.1.0'), base: '1.39.7', cand: '2.1.0' },
    { field: 'dataset-revision', label: 'dataset revision', edit: (j: any) => (j.dataset_revision = 'demo-v2'), base: 'demo-v1', cand: 'demo-v2' },
  ];
  test.each(MISMATCH)('$field: compare warns, gate exits 2 with its own error, --allow-mismatch $field lets it through', async ({ field, label, edit, base, cand }) => {
    const c = await caseFolders();
    everyCandidate(c, edit);
    const msg = `${label} differs on 8 task(s) (DemoRetrieval, DemoReranking, DemoClassification, DemoClustering, DemoPairClassification, DemoSTS, DemoSummarization, DemoBitextMining): baseline "${base}", candidate "${cand}"`;
    const cmp = await runMain(['compare', c.baseline, c.candidate, '-b', 'demo', '--iterations', '100']);
    expect(cmp.code).toBe(0);
    expect(cmp.stdout).toContain(`warning: ${msg}`);
    const junit = path.join(c.out, 'junit.xml');
    const g = await runMain(gateArgs(c, ['--junit', junit]));
    expect(g.code).toBe(2);
    expect(g.stdout.split('\n')[0]).toBe('GATE: INPUTS UNUSABLE');
    expect(g.stderr).toContain(`error[E_RESULTS] field "${field}": ${msg}; scores are not comparable (pass --allow-mismatch ${field} to accept)\n`);
    expect(readFileSync(junit, 'utf8')).toContain(`<testcase classname="demo.inputs" name="inputs #1" time="0">\n      <error type="unusable-input" message="${msg.replace(/"/g, '&quot;')}; scores are not comparable`);
    const ok = await runMain(gateArgs(c, ['--allow-mismatch', field]));
    expect(ok.code).toBe(0);
    expect(ok.stdout.split('\n')[0]).toBe('GATE: PASSED');
    expect(ok.stderr).toContain(`warning: ${msg} (allowed by --allow-mismatch ${field})`);
  }, 30_000);

  test('all three at once need all three names (comma list); one left out still exits 2', async () => {
    const c = await caseFolders();
    everyCandidate(c, (j) => MISMATCH.forEach((m) => m.edit(j)));
    expect((await runMain(gateArgs(c, ['--allow-mismatch', 'protocol,mteb-version']))).code).toBe(2);
    expect((await runMain(gateArgs(c, ['--allow-mismatch', 'protocol,mteb-version', '--allow-mismatch', 'dataset-revision']))).code).toBe(0);
  }, 30_000);

  test('a --limit dry run: compare warns, the gate refuses it whatever --allow-mismatch says', async () => {
    const c = await caseFolders();
    everyCandidate(c, (j) => (j.mteb_ts.limit = 5));
    const cmp = await runMain(['compare', c.baseline, c.candidate, '-b', 'demo', '--iterations', '100']);
    expect(cmp.code).toBe(0);
    expect(cmp.stdout).toMatch(/warning: --limit dry run differs on 8 task\(s\) \([^)]*\): baseline "full evaluation", candidate "--limit 5"/);
    const g = await runMain(gateArgs(c, ['--allow-mismatch', 'protocol,mteb-version,dataset-revision']));
    expect(g.code).toBe(2);
    expect(g.stdout).toContain('unusable: candidate: DemoSTS: dry run (--limit 5): not a full evaluation');
    const bad = await runMain(gateArgs(c, ['--allow-mismatch', 'limit']));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^error\[E_USAGE\] field "allow-mismatch": --allow-mismatch: unknown field "limit"/m);
  }, 30_000);

  test('a side that does not record a field (official files) is a warning naming it, not a failure', async () => {
    const c = await caseFolders();
    // Official files: no mteb_ts block, some without dataset_revision, and no per-item sidecars.
    for (const f of readdirSync(path.join(c.baseline, 'r1')).filter((n) => n.endsWith('.items.json'))) rmSync(path.join(c.baseline, 'r1', f));
    for (const f of readdirSync(path.join(c.baseline, 'r1')).filter((n) => /^Demo\w+\.json$/.test(n))) {
      editJson(path.join(c.baseline, 'r1', f), (j) => {
        delete j.mteb_ts;
        delete j.dataset_revision;
      });
    }
    const g = await runMain(gateArgs(c));
    expect({ code: g.code, errors: g.stderr.split("\n").filter((l) => l.startsWith("error[")) }).toEqual({ code: 0, errors: [] });
    expect(g.stderr).toMatch(/^warning: protocol not checked: not recorded by the baseline for 8 task\(s\)/m);
    expect(g.stderr).toMatch(/^warning: dataset revision not checked: not recorded by the baseline for 8 task\(s\)/m);
    expect(g.stderr).not.toMatch(/mteb version not checked/);
  }, 30_000);
});
