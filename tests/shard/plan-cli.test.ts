// `mteb-ts plan` at the CLI boundary, and merge's own exit code for missing parts (issue 19).
import { describe, test, expect } from '@jest/globals';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runMain } from '../cli/support/run-main.js';
import { EXIT_CODES, exitCodeOf, MtebError } from '../../src/core/errors.js';

const tmp = (p: string) => mkdtempSync(path.join(tmpdir(), p));

describe('plan: the run options are checked as run checks them', () => {
  test.each([
    [['--batch-size', '0'], /--batch-size must be a positive integer, got 0/],
    [['--cache-dir', 'none'], /--shard needs a shared embedding cache/],
    [['--model-revision', '../x'], /--model-revision "\.\.\/x" would place results outside the output folder/],
    [['--search', 'brute'], /Invalid values:[^]*search/],
    [['--shard', '0/2'], /Unknown argument: shard/],
    [['--job-name', 'My_Run'], /--job-name "My_Run": use lowercase letters, digits and -/],
  ])('%j is refused, exit 2', async (extra, message) => {
    const dir = tmp('plan-');
    const r = await runMain(['plan', '--scheduler', 'slurm', '-n', '2', '-m', 'hash:64', '-b', 'demo', '--plan-dir', dir, ...extra]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(existsSync(path.join(dir, 'shard.sbatch'))).toBe(false);
  });

  test.each([
    ['hash:64\ntouch /tmp/x', /model spec "hash:64\\ntouch \/tmp\/x" holds a control character/],
    ['hash:64$(id)', /"64\$\(id\)" is not a positive integer in model spec "hash:64\$\(id\)"/],
    ['nvembed:/models/nv?dtype=fp8', /option dtype=fp8 must be one of fp16, fp32/],
    ['hf:/models/e5?padding_side=middle', /option padding_side=middle must be one of left, right/],
    ['openai:ftp://x#m', /"ftp:\/\/x" must be http:\/\/ or https:\/\//],
    ['bogus:1', /unknown model spec "bogus:1"/],
  ])('model spec %j: its form is checked before any job file is written (no model opened), exit 2', async (model, message) => {
    const dir = tmp('plan-');
    const r = await runMain(['plan', '--scheduler', 'slurm', '-n', '2', '-m', model, '-b', 'demo', '--plan-dir', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(existsSync(path.join(dir, 'shard.sbatch'))).toBe(false);
  });

  test('no scheduler, or another one: exit 2', async () => {
    expect((await runMain(['plan', '-n', '2', '-m', 'hash:64', '-b', 'demo'])).stderr).toMatch(/Missing required argument: scheduler/);
    expect((await runMain(['plan', '--scheduler', 'pbs', '-n', '2', '-m', 'hash:64', '-b', 'demo'])).code).toBe(2);
  });

  test('the run options go into the shard and merge scripts as given (merge gets only its own)', async () => {
    const dir = tmp('plan-');
    const r = await runMain(['plan', '--scheduler', 'slurm', '-n', '2', '-m', 'hash:64', '-t', 'DemoSTS', 'DemoClassification', '--limit', '5', '--batch-size', '8', '-q', '--plan-dir', dir]);
    expect(r.code).toBe(0);
    const { readFileSync } = await import('node:fs');
    expect(readFileSync(path.join(dir, 'shard.sbatch'), 'utf8')).toMatch(
      /\nexec mteb-ts run --model hash:64 --tasks DemoSTS DemoClassification --batch-size 8 --quiet --limit 5 "\$\{shard\[@\]\}"\n/,
    );
    expect(readFileSync(path.join(dir, 'merge.sbatch'), 'utf8')).toMatch(/\nexec mteb-ts merge --model hash:64 --tasks DemoSTS DemoClassification --batch-size 8 --quiet --shards 2\n/);
    expect(r.stdout).toMatch(/^plan: 2 shards, 2 tasks, lpt-tokens-v2/);
  });
});

describe('merge with parts missing', () => {
  test('exit 4 (E_PARTS_MISSING), naming the part and the shard that owes it', async () => {
    const out = tmp('out-');
    const cache = tmp('cache-');
    const common = ['-m', 'hash:64', '-t', 'DemoSTS,DemoClassification', '-o', out, '--cache-dir', cache, '-q'];
    // Shard 0 of 2 only: DemoClassification (6,070 tokens) is shard 0's, DemoSTS (3,645) shard 1's.
    expect((await runMain(['run', ...common, '--shard', '0/2'])).code).toBe(0);
    const r = await runMain(['merge', ...common, '--shards', '2']);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/^error\[E_PARTS_MISSING\] cannot merge: 1 part\(s\) missing:\n  DemoSTS: no result \(shard 1\/2\)\n/);
    // Once shard 1 ran: exit 0.
    expect((await runMain(['run', ...common, '--shard', '1/2'])).code).toBe(0);
    expect((await runMain(['merge', ...common, '--shards', '2'])).code).toBe(0);
  });

  test('the shard named as owing a task is the one the shards chose, with their corpus chunking', async () => {
    const out = tmp('out-');
    const common = ['-m', 'hash:64', '-t', 'DemoRetrieval,DemoSTS,DemoClassification', '-o', out, '--cache-dir', tmp('cache-'), '-q'];
    // With 100-row chunks (5,868 tokens each) DemoClassification (6,070) goes to shard 0 first, then chunks 0 and 1 to
    // shard 1, chunk 2 to shard 0, DemoSTS (3,645) to shard 1, DemoRetrieval's queries to shard 0; unsplit
    // (500,000-row chunks) DemoRetrieval would be shard 0's and DemoClassification shard 1's.
    expect((await runMain(['run', ...common, '--shard', '1/2', '--shard-chunk-rows', '100'])).code).toBe(0);
    const r = await runMain(['merge', ...common, '--shards', '2']);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/\n  DemoClassification: no result \(shard 0\/2\)\n/);
    expect(r.stderr).toMatch(/\n  DemoRetrieval: test\/default: corpus chunks 2 of 3 not searched \(shards 0\)/);
  });

  test('the exit-code table: 4 for missing parts, 2 for every other user error; listed in the help', async () => {
    expect(EXIT_CODES).toEqual({ E_PARTS_MISSING: 4 });
    expect(exitCodeOf(new MtebError('E_PARTS_MISSING', 'x'))).toBe(4);
    expect(exitCodeOf(new MtebError('E_RESULTS', 'x'))).toBe(2);
    expect((await runMain(['--help'])).stdout).toMatch(/3 internal error, 4 merge: shard parts missing\./);
  });
});
