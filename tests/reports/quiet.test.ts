// `-q/--quiet` on report, compare and gate (issue 13): the report alone on stdout, nothing on stderr (no inferred
// benchmark, no per-model notes, no warnings, no broken-file lines), the same stdout and the same exit code.
import { describe, test, expect } from '@jest/globals';
import { runMain } from '../cli/support/run-main.js';

const B = 'fixtures/results/runs/baseline';
const C = 'fixtures/results/runs/candidate';
const BROKEN = 'fixtures/results/formats/acme__legacy-model'; // STS14.json there is invalid JSON

const CASES: Array<[string, string[], number, RegExp]> = [
  ['report', ['report', B], 0, /^benchmark: MTEB\(eng, v2\) \(3 of its 41 tasks/],
  ['report, a broken file', ['report', BROKEN, '-b', 'MTEB(eng, v1)'], 2, /error\[E_PARSE\] task STS14 .*STS14\.json: result file unusable: invalid JSON/],
  ['compare', ['compare', B, C], 0, /acme\/embed-small: revision 2222bbbb/],
  ['gate', ['gate', '--baseline', B, '--candidate', C], 2, /error\[E_FILE_MISSING\] 38 task\(s\) missing/],
];

describe('-q / --quiet', () => {
  test.each(CASES)('%s: stdout and exit code unchanged, stderr empty', async (_name, argv, code, loud) => {
    const plain = await runMain(argv);
    expect(plain.code).toBe(code);
    expect(plain.stderr).toMatch(loud);
    for (const flag of ['-q', '--quiet']) {
      const quiet = await runMain([...argv, flag]);
      expect([quiet.code, quiet.stderr]).toEqual([code, '']);
      expect(quiet.stdout).toBe(plain.stdout);
    }
  });

  test('the gate verdict itself names what stderr would have', async () => {
    const r = await runMain(['gate', '--baseline', B, '--candidate', C, '-q']);
    expect(r.stdout.split('\n').slice(0, 2)).toEqual([
      'GATE: INPUTS UNUSABLE',
      expect.stringMatching(/^unusable: 38 task\(s\) missing \(38 on both sides;/),
    ]);
  });
});
