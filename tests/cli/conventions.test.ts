// Node CLI conventions (issue 20): --version, help <command>, a bare command, --no-color / NO_COLOR / FORCE_COLOR,
// shell completion. Through the real main().
import { describe, test, expect, afterEach } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { colorOn } from '../../src/util/color.js';
import { runMain as run } from './support/run-main.js';

/** main() with yargs' console.log output counted as stdout. */
const runMain = (argv: string[]) => run(argv, { captureConsole: true });

const version = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;
const saved = { NO_COLOR: process.env.NO_COLOR, FORCE_COLOR: process.env.FORCE_COLOR };
afterEach(() => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

describe('CLI conventions', () => {
  test('--version and -v print the package version, exit 0', async () => {
    for (const a of ['--version', '-v']) expect(await runMain([a])).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });

  test('help <command> is <command> --help; help alone is --help', async () => {
    const viaHelp = await runMain(['help', 'gate']);
    expect(viaHelp.code).toBe(0);
    expect(viaHelp.stdout).toMatch(/^mteb-ts gate\b/);
    expect((await runMain(['help'])).stdout).toBe((await runMain(['--help'])).stdout);
  });

  test('a bare mteb-ts prints the help on stderr and exits 2', async () => {
    const r = await runMain([]);
    expect([r.code, r.stdout]).toEqual([2, '']);
    expect(r.stderr).toMatch(/^mteb-ts <command> \[options\]/);
    expect(r.stderr).toMatch(/\n  mteb-ts report /);
  });

  test('every help screen ends with the conventions and exit codes', async () => {
    expect((await runMain(['--help'])).stdout).toMatch(/mteb-ts --version; mteb-ts help <command>; --no-color/);
    expect((await runMain(['help', 'report'])).stdout).toMatch(/Exit codes: 0 ok, 1 gate failed, 2\s+bad input, 3 internal\s+error, 4\s+merge:\s+shard\s+parts\s+missing\./);
  });

  test('--no-color / --color set NO_COLOR / FORCE_COLOR for the process and are accepted by every command', async () => {
    const r = await runMain(['tasks', '--no-color', '--json', '--type', 'sts']);
    expect(r.code).toBe(0);
    expect(process.env.NO_COLOR).toBe('1');
    expect(r.stdout).not.toMatch(/\u001b\[/);
    await runMain(['--color', '--version']);
    expect([process.env.FORCE_COLOR, process.env.NO_COLOR]).toEqual(['1', undefined]);
  });

  test('colorOn follows no-color.org: FORCE_COLOR wins, then NO_COLOR, then the terminal', () => {
    const tty = { isTTY: true };
    const pipe = { isTTY: false };
    expect([colorOn(tty, {}), colorOn(pipe, {})]).toEqual([true, false]);
    expect([colorOn(tty, { NO_COLOR: '1' }), colorOn(tty, { NO_COLOR: '' })]).toEqual([false, true]);
    expect([colorOn(pipe, { FORCE_COLOR: '1' }), colorOn(pipe, { FORCE_COLOR: '0' }), colorOn(tty, { FORCE_COLOR: 'false' })]).toEqual([true, false, true]);
    expect(colorOn(pipe, { FORCE_COLOR: '1', NO_COLOR: '1' })).toBe(true);
  });

  test('completion prints a bash/zsh script', async () => {
    const r = await runMain(['completion']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/###-begin-mteb-ts-completions-###/);
    expect(r.stdout).toMatch(/mteb-ts completion >> ~\/\.bashrc/);
  });
});

describe('help with a name that is no command', () => {
  test('exit 2 naming it, hostile text included, no help printed', async () => {
    for (const name of ['nosuch', '../../etc/passwd']) {
      const r = await runMain(['help', name]);
      expect([r.code, r.stdout, r.stderr]).toEqual([2, '', `error[E_USAGE] no command "${name}" (mteb-ts --help lists them)\nRun "mteb-ts --help" for the commands.\n`]);
    }
  });
});
