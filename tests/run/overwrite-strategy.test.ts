// --eval-splits / --subsets / --languages and --overwrite-strategy (issue 20) on a two-split, two-subset task
// made from DemoSTS, through the real CLI.
import { describe, test, expect } from '@jest/globals';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parsePythonJson } from '../../src/output/python-json.js';
import { runMain } from '../cli/support/run-main.js';
import { DEMO } from './helpers.js';
import { runOptions } from '../../src/cli/options/run.js';
import { OVERWRITE_STRATEGIES } from '../../src/run/overwrite-strategy.js';

/** MultiSTS: splits dev, test; subsets en (eng-Latn), de (deu-Latn); different rows in each of the four. */
function multiTask(): string {
  const dir = path.join(mkdtempSync(path.join(tmpdir(), 'multi-')), 'MultiSTS');
  mkdirSync(dir);
  const spec = JSON.parse(readFileSync(path.join(DEMO, 'DemoSTS', 'task.json'), 'utf8'));
  Object.assign(spec, { name: 'MultiSTS', eval_splits: ['dev', 'test'], hf_subsets: ['en', 'de'], eval_langs: { en: ['eng-Latn'], de: ['deu-Latn'] } });
  writeFileSync(path.join(dir, 'task.json'), JSON.stringify(spec));
  const lines = readFileSync(path.join(DEMO, 'DemoSTS', 'test.jsonl'), 'utf8').split('\n').filter(Boolean);
  ['en', 'de'].forEach((sub, i) => {
    mkdirSync(path.join(dir, sub));
    writeFileSync(path.join(dir, sub, 'dev.jsonl'), lines.slice(i * 20, i * 20 + 30).join('\n'));
    writeFileSync(path.join(dir, sub, 'test.jsonl'), lines.slice(40 + i * 20, 70 + i * 20).join('\n'));
  });
  return path.join(dir, 'task.json');
}

const pairs = (file: string) => {
  const r = parsePythonJson(readFileSync(file, 'utf8'));
  return Object.entries(r.scores as Record<string, { hf_subset: string }[]>).map(([s, es]) => `${s}:${es.map((e) => e.hf_subset).join(',')}`);
};

describe('split / subset / language filters', () => {
  const task = multiTask();
  const run = (out: string, ...more: string[]) => runMain(['run', '-m', 'hash:64', '-t', task, '-o', out, '--cache-dir', 'none', '-f', 'json', ...more]);
  const file = (out: string) => path.join(out, 'mteb-ts__hash-64', 'no_revision_available', 'MultiSTS.json');

  test('--eval-splits test, --subsets de, --languages eng: only those pairs are evaluated and written', async () => {
    const a = mkdtempSync(path.join(tmpdir(), 'f-'));
    expect((await run(a, '--eval-splits', 'test')).code).toBe(0);
    expect(pairs(file(a))).toEqual(['test:en,de']);
    const b = mkdtempSync(path.join(tmpdir(), 'f-'));
    expect((await run(b, '--subsets', 'de')).code).toBe(0);
    expect(pairs(file(b))).toEqual(['dev:de', 'test:de']);
    const c = mkdtempSync(path.join(tmpdir(), 'f-'));
    expect((await run(c, '--languages', 'eng', '--eval-splits', 'dev')).code).toBe(0);
    expect(pairs(file(c))).toEqual(['dev:en']);
    const d = mkdtempSync(path.join(tmpdir(), 'f-'));
    expect((await run(d, '--languages', 'deu-Latn,eng')).code).toBe(0);
    expect(pairs(file(d))).toEqual(['dev:en,de', 'test:en,de']);
  });

  test.each([
    [['--eval-splits', 'validation'], 'error[E_USAGE] field "eval-splits": --eval-splits "validation": no selected task has it; the selected tasks have: dev, test'],
    [['--subsets', 'fr'], 'error[E_USAGE] field "subsets": --subsets "fr": no selected task has it (did you mean de, en?); the selected tasks have: de, en'],
    [['--languages', 'fra'], 'error[E_USAGE] field "languages": --languages "fra": no selected task has it; the selected tasks have: deu, deu-Latn, eng, eng-Latn'],
    [['--eval-splits', 'tset'], 'error[E_USAGE] field "eval-splits": --eval-splits "tset": no selected task has it (did you mean test?); the selected tasks have: dev, test'],
  ])('%j: exit 2 naming the valid values, nothing written', async (flags, line) => {
    const out = mkdtempSync(path.join(tmpdir(), 'f-'));
    const r = await run(out, ...flags);
    expect([r.code, r.stdout, r.stderr.split('\n')[0]]).toEqual([2, '', line]);
  });
});

describe('--overwrite-strategy', () => {
  test("the option's choices are the runner's strategies, mteb's four", () => {
    expect(runOptions['overwrite-strategy'].choices).toEqual(OVERWRITE_STRATEGIES);
    expect(OVERWRITE_STRATEGIES).toEqual(['always', 'never', 'only-missing', 'only-cache']);
  });

  const task = multiTask();
  const run = (out: string, ...more: string[]) => runMain(['run', '-m', 'hash:64', '-t', task, '-o', out, '--cache-dir', 'none', '-f', 'json', ...more]);
  const file = (out: string) => path.join(out, 'mteb-ts__hash-64', 'no_revision_available', 'MultiSTS.json');
  const status = (r: { stdout: string }) => JSON.parse(r.stdout).tasks.map((t: { status: string; error?: string }) => t.status);

  test('only-missing (the default) computes just the pairs a result lacks and keeps the others as they were', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 's-'));
    await run(out, '--eval-splits', 'test');
    const before = parsePythonJson(readFileSync(file(out), 'utf8'));
    const r = await run(out);
    expect([r.code, status(r)]).toEqual([0, ['done']]);
    expect(r.stderr).toContain('MultiSTS: the result lacks dev/en, dev/de; computing only those');
    const after = parsePythonJson(readFileSync(file(out), 'utf8'));
    expect(pairs(file(out))).toEqual(['test:en,de', 'dev:en,de']);
    expect(after.scores.test).toEqual(before.scores.test);
    // The same as a run that computes everything at once.
    const whole = mkdtempSync(path.join(tmpdir(), 's-'));
    await run(whole);
    const all = parsePythonJson(readFileSync(file(whole), 'utf8'));
    expect(after.scores.dev).toEqual(all.scores.dev);
    // Per-item scores hold all four pairs.
    const items = JSON.parse(readFileSync(file(out).replace(/\.json$/, '.items.json'), 'utf8'));
    expect(Object.keys(items.splits).map((s) => `${s}:${Object.keys(items.splits[s]).join(',')}`)).toEqual(['test:en,de', 'dev:en,de']);
    // Complete now: skipped.
    expect(status(await run(out))).toEqual(['skipped']);
  });

  test('never and only-cache refuse to complete a result (exit 1, the pairs named); only-cache needs a result', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 's-'));
    const none = await run(out, '--overwrite-strategy', 'only-cache');
    expect([none.code, status(none)]).toEqual([1, ['failed']]);
    expect(JSON.parse(none.stdout).tasks[0].error).toContain('--overwrite-strategy only-cache: no complete result for this task in the output folder');
    await run(out, '--subsets', 'en');
    for (const s of ['never', 'only-cache']) {
      const r = await run(out, '--overwrite-strategy', s);
      expect([r.code, status(r)]).toEqual([1, ['failed']]);
      expect(JSON.parse(r.stdout).tasks[0].error).toContain(`--overwrite-strategy ${s}: the result exists but lacks dev/de, test/de; --overwrite-strategy only-missing computes them`);
    }
    // A complete result: both reuse it.
    expect(status(await run(out, '--subsets', 'en', '--overwrite-strategy', 'never'))).toEqual(['skipped']);
    expect(status(await run(out, '--subsets', 'en', '--overwrite-strategy', 'only-cache'))).toEqual(['skipped']);
  });

  test('always recomputes a complete result and writes only the selected pairs; --overwrite is always', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 's-'));
    await run(out);
    const r = await run(out, '--overwrite-strategy', 'always', '--eval-splits', 'dev');
    expect(status(r)).toEqual(['done']);
    expect(pairs(file(out))).toEqual(['dev:en,de']);
    expect(status(await run(out, '--overwrite'))).toEqual(['done']);
    expect(pairs(file(out))).toEqual(['dev:en,de', 'test:en,de']);
    const bad = await run(out, '--overwrite', '--overwrite-strategy', 'never');
    expect([bad.code, bad.stderr.split('\n')[0]]).toEqual([2, 'error[E_USAGE] field "overwrite": --overwrite means --overwrite-strategy always; it contradicts --overwrite-strategy never']);
  });
});
