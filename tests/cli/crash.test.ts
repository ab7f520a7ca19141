import { describe, test, expect } from '@jest/globals';
import { main } from '../../src/cli/main.js';
import { lazyCommand } from '../../src/cli/command.js';
import { runMain } from './support/run-main.js';

const RUNS = 'fixtures/results/runs';

/**
 * stderr of a crash ends with the documented `internal error: ` line and then only the stack's `at` frames;
 * what the command logged before it (progress, `benchmark: ...`) stays, but no error line or usage text.
 */
function expectOnlyInternalError(stderr: string, firstLine: string, logged = /^$/) {
  const at = stderr.indexOf('internal error: ');
  expect(stderr.slice(0, at)).toMatch(logged);
  const lines = stderr.slice(at).trimEnd().split('\n');
  expect(lines[0]).toBe(firstLine);
  expect(lines.slice(1).filter((l) => !/^\s+at /.test(l))).toEqual([]);
  expect(stderr.match(/internal error/g)).toHaveLength(1);
  expect(stderr).not.toMatch(/error\[|Run "mteb-ts --help"|Options:/);
}

describe('a crash (an unexpected exception) is exit 3, never the exit 2 of a user error', () => {
  test('a handler that throws a plain error: exit 3, the documented message and its stack, nothing else', async () => {
    const boom = lazyCommand({ command: 'boom', describe: 'throws', options: { n: { type: 'number', default: 1 } } }, async () => async (a) => {
      throw new TypeError(`bug ${a.n}`);
    });
    const r = await runMain(['boom', '--n', '7'], { commands: [boom] });
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    expectOnlyInternalError(r.stderr, 'internal error: TypeError: bug 7');
    // Control: the same command given a bad value is a usage error, exit 2, one line.
    const bad = await runMain(['boom', '--n', 'x'], { commands: [boom] });
    expect([bad.code, bad.stderr]).toEqual([2, 'error[E_USAGE] field "n": --n must be a number, got NaN\nRun "mteb-ts help boom" for its options.\n']);
  });

  test('a real command (gate) crashing mid-way: exit 3 (the old test harness would have called this 2)', async () => {
    let stderr = '';
    const out = process.stdout.write;
    const err = process.stderr.write;
    // stdout failing under the gate's feet: not an MtebError, so nothing a user did.
    (process.stdout as any).write = () => {
      throw new Error('stdout is gone');
    };
    (process.stderr as any).write = (s: string) => ((stderr += s), true);
    let code: number;
    try {
      code = await main(['gate', '--baseline', `${RUNS}/baseline`, '--candidate', `${RUNS}/candidate`, '-b', 'MTEB(eng, v2)', '--allow-missing', '--iterations', '100']);
    } finally {
      process.stdout.write = out;
      process.stderr.write = err;
    }
    expect(code).toBe(3);
    expectOnlyInternalError(stderr, 'internal error: Error: stdout is gone', /^acme\/embed-small: revision 1111aaaa\S* \(the only one\); sources: baseline:1111aaaa\n(acme\/embed-small: [^\n]*\n)*$/);
    expect(stderr).toMatch(/\n\s+at .*src\/cli\/commands\/gate\.ts/);
  });
});
