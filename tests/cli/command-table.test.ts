// Every command x (--help, a misspelt option, no arguments): the exit code and the first line a user sees
// (issue 20's CLI test table). Through the real main(), console.log captured (yargs prints help with it).
import { describe, test, expect } from '@jest/globals';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runMain as run } from './support/run-main.js';

/** main() with yargs' console.log output counted as stdout. */
const runMain = (argv: string[]) => run(argv, { captureConsole: true });
const first = (s: string) => s.split('\n')[0];

// command, its first error line with no arguments (null: it runs and exits 0)
const TABLE: [string, string | null][] = [
  ['run', 'error[E_USAGE] Missing required argument: model'],
  ['report', 'error[E_USAGE] Not enough non-option arguments: got 0, need at least 1'],
  ['compare', 'error[E_USAGE] Not enough non-option arguments: got 0, need at least 2'],
  ['gate', 'error[E_USAGE] Missing required arguments: baseline, candidate'],
  ['tasks', null],
  ['benchmarks', null],
  ['models', null],
  ['download', 'error[E_USAGE] field "tasks": name --tasks or --benchmark'],
  ['embed', 'error[E_USAGE] Missing required argument: model'],
  ['export-texts', 'error[E_USAGE] name tasks with --tasks or a benchmark with --benchmark'],
  ['create-meta', 'error[E_USAGE] Missing required argument: results-folder'],
  ['build-onnx', 'error[E_USAGE] Missing required arguments: checkpoint, out'],
  ['metrics retrieval', 'error[E_USAGE] Missing required arguments: qrels, run'],
  ['merge', 'error[E_USAGE] Missing required arguments: model, shards'],
  ['cache', 'error[E_USAGE] Not enough non-option arguments: got 0, need at least 1'],
  ['serve', 'error[E_USAGE] Missing required argument: model'],
];

describe('the CLI test table', () => {
  test.each([...TABLE.map(([c]) => c), 'demo'])('%s --help: exit 0, its usage line first, the conventions last', async (cmd) => {
    const r = await runMain([...cmd.split(' '), '--help']);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(first(r.stdout)).toMatch(new RegExp(`^mteb-ts ${cmd}\\b`));
    expect(r.stdout).toMatch(/Exit codes: 0 ok/);
  });

  test.each(TABLE)('%s with no arguments', async (cmd, line) => {
    const r = await runMain(cmd.split(' '));
    if (line === null) {
      expect(r.code).toBe(0);
      return;
    }
    expect([r.code, first(r.stderr)]).toEqual([2, line]);
    expect(r.stderr.split('\n')[1]).toBe(`Run "mteb-ts help ${cmd}" for its options.`);
  });

  test.each([['tasks'], ['benchmarks'], ['demo'], ['report', 'fixtures/results/runs/baseline']])('%s with a misspelt option: exit 2 naming it', async (...argv) => {
    const r = await runMain([...argv, '--formatt', 'json']);
    expect([r.code, first(r.stderr)]).toEqual([2, 'error[E_USAGE] Unknown argument: formatt']);
    expect(r.stderr.split('\n')[1]).toBe(`Run "mteb-ts help ${argv[0]}" for its options.`);
  });

  test('an unknown command: exit 2 with the closest one', async () => {
    const r = await runMain(['reprot']);
    expect([r.code, r.stderr]).toEqual([2, 'error[E_USAGE] Did you mean report?\nRun "mteb-ts --help" for the commands.\n']);
  });
});

// Every command that prints something, with --format json: exit 0 and stdout is exactly one JSON document
// (the remaining commands of issue 20; report/compare/gate have their own tests). `serve` prints its JSON line
// once listening and runs until stopped: tests/cli/format-json-serve.test.ts.
describe('--format json: one JSON document on stdout, nothing else', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'fmt-'));
  writeFileSync(path.join(dir, 'texts.txt'), 'one\ntwo\n');
  mkdirSync(path.join(dir, 'cache'));
  writeFileSync(path.join(dir, 'q.trec'), 'q1 0 d1 1\nq1 0 d2 0\nq2 0 d3 1\n');
  writeFileSync(path.join(dir, 'r.trec'), 'q1 Q0 d1 1 2.0 t\nq1 Q0 d2 2 1.0 t\nq2 Q0 d1 1 3.0 t\nq2 Q0 d3 2 1.5 t\n');
  const CASES: [string, string[], (j: any) => unknown, unknown][] = [
    ['tasks', ['tasks', '-b', 'demo'], (j) => j.length, 8],
    ['benchmarks', ['benchmarks'], (j) => j.some((b: { name: string }) => b.name === 'demo'), true],
    ['run', ['run', '-m', 'hash:8', '-t', 'DemoSTS', '-o', path.join(dir, 'run'), '--cache-dir', 'none', '-q'], (j) => j.counts, { done: 1, skipped: 0, deferred: 0, failed: 0 }],
    ['embed', ['embed', '-m', 'hash:8', '--input', path.join(dir, 'texts.txt')], (j) => [j.model, j.dimension, j.items.map((i: { text: string }) => i.text)], ['mteb-ts/hash-8', 8, ['one', 'two']]],
    ['export-texts', ['export-texts', '-t', 'DemoSTS', '-o', path.join(dir, 'texts'), '-q'], (j) => j.texts, 200],
    ['create-meta', ['create-meta', '--results-folder', 'fixtures/golden/create-meta/edge-results', '--output-path', path.join(dir, 'card.md')], (j) => j.entries, 16],
    ['cache', ['cache', 'info', '--cache-dir', path.join(dir, 'cache')], (j) => j, []],
    ['download', ['download', '-t', 'fixtures/tasks/DemoSTS/task.json', '--data-dir', path.join(dir, 'data')], (j) => j, { datasets: [{ task: 'DemoSTS', local: '.' }], bytes: 0 }],
    ['metrics retrieval', ['metrics', 'retrieval', '--qrels', path.join(dir, 'q.trec'), '--run', path.join(dir, 'r.trec'), '--k', '1'], (j) => j.scores.ndcg_at_1, 0.5],
  ];
  test.each(CASES)('%s', async (_name, argv, pick, want) => {
    const r = await runMain([...argv, '--format', 'json']);
    expect(r.code).toBe(0);
    expect(pick(JSON.parse(r.stdout))).toEqual(want);
  });
});
