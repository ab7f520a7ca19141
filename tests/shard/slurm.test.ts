// A real Slurm (issue 19): the plan's array job with 3 shards on a one-node cluster started here, one shard failing
// once, retried as docs/scaling.md says (retry.sh), merged by the plan's merge job, and compared byte for byte
// (evaluation_time aside) with a single-process run. Needs root and Debian's slurm-wlm + munge (.ci/run installs
// them); skips with the reason otherwise.
import { describe, test, expect, afterAll } from '@jest/globals';
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../../src/registry/index.js';
import { comparableResults as results } from './support/results.js';

const BINARIES = ['munged', 'slurmctld', 'slurmd', 'sbatch', 'squeue', 'scontrol'];
const which = (b: string) => spawnSync('sh', ['-c', `command -v ${b}`]).status === 0;
const missing = BINARIES.filter((b) => !which(b));
const isRoot = process.getuid?.() === 0;
const skipReason = missing.length ? `Slurm binaries missing: ${missing.join(', ')} (apt-get install slurm-wlm munge)` : !isRoot ? 'not root (slurmd must run jobs as root here)' : '';
if (skipReason) process.stdout.write(`SKIP tests/shard/slurm.test.ts: ${skipReason}\n`);

const HERE = path.join(REPO_ROOT, 'tests', 'shard', 'slurm');
const TASKS = ['DemoRetrieval', 'DemoSTS', 'DemoClassification', 'DemoPairClassification'];
const work = mkdtempSync(path.join(tmpdir(), 'slurm-test-'));
const clusterDir = path.join(work, 'cluster');
let conf = '';

const env = () => ({ ...process.env, SLURM_CONF: conf });
const sh = (cmd: string, args: string[], extraEnv: Record<string, string> = {}) =>
  execFileSync(cmd, args, { cwd: work, env: { ...env(), ...extraEnv }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

/** A job's state and exit code as scontrol reports them (jobs stay listed for MinJobAge = 300 s). */
function jobState(id: string): { state: string; exit: string } {
  const out = sh('scontrol', ['show', 'job', id, '-o']);
  return { state: /JobState=(\S+)/.exec(out)![1], exit: /ExitCode=(\S+)/.exec(out)![1] };
}

/** Waits until none of the jobs is pending or running. */
async function settle(ids: string[], seconds = 90): Promise<void> {
  const end = Date.now() + seconds * 1000;
  while (Date.now() < end) {
    const active = sh('squeue', ['-h', '-o', '%i %T']).trim();
    const mine = active.split('\n').filter((l) => l && ids.some((id) => l.startsWith(id)));
    // A merge job whose dependency can never be met is cancelled by --kill-on-invalid-dep; until then it shows PENDING.
    if (!mine.length) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`jobs ${ids.join(', ')} still queued after ${seconds} s:\n${sh('squeue', [])}`);
}

afterAll(() => {
  if (conf) spawnSync('bash', [path.join(HERE, 'cluster.sh'), 'stop', clusterDir]);
});

(skipReason ? describe.skip : describe)('the plan under a real Slurm', () => {
  test('3-shard array, one shard fails once, retry.sh, merge job: results equal one process', async () => {
    conf = execFileSync('bash', [path.join(HERE, 'cluster.sh'), 'start', clusterDir], { encoding: 'utf8' }).trim().split('\n').pop()!;
    expect(existsSync(conf)).toBe(true);

    const out = path.join(work, 'results');
    const cache = path.join(work, 'cache');
    const runOpts = ['-m', 'hash:64', '-t', TASKS.join(','), '-o', out, '--cache-dir', cache, '--shard-chunk-rows', '100', '-q'];
    const planOut = sh('node', [
      path.join(REPO_ROOT, 'bin', 'mteb-ts-dev.js'), 'plan', '--scheduler', 'slurm', '-n', '3', ...runOpts,
      '--plan-dir', path.join(work, 'plan'), '--launcher', path.join(HERE, 'flaky-mteb-ts.sh'),
    ]);
    expect(planOut).toMatch(/^plan: 3 shards, 4 tasks, lpt-tokens-v2/);

    // Submit as the docs say; shard 1 fails its first start.
    const marker = path.join(work, 'shard-1-failed-once');
    const failEnv = { MTEB_TS_TEST_FAIL_SHARD: '1', MTEB_TS_TEST_FAIL_MARKER: marker };
    const submitted = sh(path.join(work, 'plan', 'submit.sh'), [], failEnv);
    const [, array, merge] = /array job (\d+) .*merge: job (\d+)/.exec(submitted)!;
    await settle([array, merge]);
    expect(existsSync(marker)).toBe(true);
    expect(jobState(`${array}_0`)).toEqual({ state: 'COMPLETED', exit: '0:0' });
    expect(jobState(`${array}_1`)).toEqual({ state: 'FAILED', exit: '1:0' });
    expect(jobState(`${array}_2`)).toEqual({ state: 'COMPLETED', exit: '0:0' });
    // The failed element makes afterok impossible: the merge job is cancelled, not left pending forever.
    expect(jobState(merge).state).toBe('CANCELLED');

    // One process, no sharding, own cache: run meanwhile (the cluster is idle while the test checks and retries).
    const single = promisify(execFile)(
      'node',
      [path.join(REPO_ROOT, 'bin', 'mteb-ts-dev.js'), 'run', '-m', 'hash:64', '-t', TASKS.join(','), '-o', path.join(work, 'single'), '--cache-dir', path.join(work, 'cache-single'), '-q'],
      { cwd: work },
    );

    // Merging by hand now: exit 4, naming what shard 1 owes.
    const early = spawnSync('node', [path.join(REPO_ROOT, 'bin', 'mteb-ts-dev.js'), 'merge', ...runOpts.filter((a) => a !== '--shard-chunk-rows' && a !== '100'), '--shards', '3'], {
      cwd: work,
      encoding: 'utf8',
    });
    expect(early.status).toBe(4);
    expect(early.stderr).toMatch(/error\[E_PARTS_MISSING\] cannot merge: \d+ part\(s\) missing/);

    // The retry, as docs/scaling.md says: retry.sh with the failed shard; it submits a new merge after it.
    const retried = sh(path.join(work, 'plan', 'retry.sh'), ['1'], failEnv);
    const [, retryJob] = /shard 1: job (\d+)/.exec(retried)!;
    const [, merge2] = /merge: job (\d+)/.exec(retried)!;
    await settle([retryJob, merge2]);
    expect(jobState(`${retryJob}_1`)).toEqual({ state: 'COMPLETED', exit: '0:0' });
    expect(jobState(merge2)).toEqual({ state: 'COMPLETED', exit: '0:0' });
    expect(readFileSync(path.join(work, 'logs', `mteb-ts-merge-${merge2}.out`), 'utf8')).toMatch(/merged: \d+ results present, 1 split tasks scored/);

    await single;
    const sharded = results(out);
    expect(Object.keys(sharded)).toEqual([...TASKS.flatMap((t) => [`${t}.json`, `${t}.items.json`]), 'model_meta.json'].sort());
    expect(sharded).toEqual(results(path.join(work, 'single')));
  }, 180_000);
});
