// Every command x (--help, a misspelt option, no arguments): the exit code and the first line a user sees
// (issue 20's CLI test table). Through the real main(), console.log captured (yargs prints help with it).
import { describe, test, expect } from '@jest/globals';
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
