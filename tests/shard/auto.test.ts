import { describe, test, expect } from '@jest/globals';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { resolveShard } from '../../src/shard/auto.js';
import { runMain } from '../cli/support/run-main.js';

const r = (spec: string | undefined, shards: number | undefined, env: Record<string, string>) => {
  try {
    const s = resolveShard(spec, shards, env);
    return s ? `${s.index}/${s.count} ${s.source}` : 'none';
  } catch (e) {
    return `${(e as { code?: string }).code}: ${(e as Error).message}`;
  }
};

describe('--shard auto: the index from the scheduler, the count from --shards / MTEB_TS_SHARDS / the scheduler', () => {
  test.each([
    // Slurm: --array=1-4 (1-based) and --array=0-3 give the same shards; the array size counts.
    [{ SLURM_ARRAY_TASK_ID: '3', SLURM_ARRAY_TASK_MIN: '1', SLURM_ARRAY_TASK_COUNT: '4' }, undefined, '2/4 SLURM_ARRAY_TASK_ID=3, count from SLURM_ARRAY_TASK_COUNT'],
    [{ SLURM_ARRAY_TASK_ID: '2', SLURM_ARRAY_TASK_MIN: '0', SLURM_ARRAY_TASK_COUNT: '4' }, undefined, '2/4 SLURM_ARRAY_TASK_ID=2, count from SLURM_ARRAY_TASK_COUNT'],
    // Kubernetes Indexed Job: 0-based index, no size in the pod: --shards or MTEB_TS_SHARDS.
    [{ JOB_COMPLETION_INDEX: '5' }, 8, '5/8 JOB_COMPLETION_INDEX=5, count from --shards'],
    [{ JOB_COMPLETION_INDEX: '0', MTEB_TS_SHARDS: '3' }, undefined, '0/3 JOB_COMPLETION_INDEX=0, count from MTEB_TS_SHARDS'],
    [{ AWS_BATCH_JOB_ARRAY_INDEX: '1', MTEB_TS_SHARDS: '2' }, undefined, '1/2 AWS_BATCH_JOB_ARRAY_INDEX=1, count from MTEB_TS_SHARDS'],
    [{ BATCH_TASK_INDEX: '4', BATCH_TASK_COUNT: '5' }, undefined, '4/5 BATCH_TASK_INDEX=4, count from BATCH_TASK_COUNT'],
    // --shards wins over the environment's count.
    [{ SLURM_ARRAY_TASK_ID: '1', SLURM_ARRAY_TASK_COUNT: '4', MTEB_TS_SHARDS: '9' }, 2, '1/2 SLURM_ARRAY_TASK_ID=1, count from --shards'],
  ] as const)('%j --shards %p -> %s', (env, shards, want) => {
    expect(r('auto', shards, env)).toBe(want);
  });

  test('refusals name what is missing or wrong', () => {
    expect(r('auto', undefined, {})).toMatch(/^E_USAGE: --shard auto: no scheduler index in the environment \(looked for SLURM_ARRAY_TASK_ID, JOB_COMPLETION_INDEX/);
    expect(r('auto', undefined, { JOB_COMPLETION_INDEX: '1' })).toBe('E_USAGE: --shard auto: JOB_COMPLETION_INDEX=1 gives the index; give the count with --shards N or MTEB_TS_SHARDS');
    expect(r('auto', 2, { JOB_COMPLETION_INDEX: '2' })).toBe('E_USAGE: --shard auto: index 2 (from JOB_COMPLETION_INDEX) is not below the count 2 (from --shards)');
    expect(r('auto', 2, { JOB_COMPLETION_INDEX: 'x' })).toBe('E_USAGE: --shard auto: JOB_COMPLETION_INDEX="x" is not a shard index (a non-negative integer)');
    expect(r('1/4', 4, {})).toBe('E_USAGE: --shard 1/4 already says the count; --shards goes with --shard auto');
    expect(r(undefined, 4, {})).toBe('E_USAGE: --shards is the count for `--shard auto`; give --shard too');
    expect([r('1/4', undefined, {}), r(undefined, undefined, { JOB_COMPLETION_INDEX: '1' })]).toEqual(['1/4 --shard', 'none']);
  });

  test('mteb-ts run --shard auto in a Kubernetes-like environment does what --shard i/n does', async () => {
    const saved = { ...process.env };
    const outs: Record<string, string[]> = {};
    try {
      for (const [label, argv, env] of [
        ['auto', ['--shard', 'auto', '--shards', '2'], { JOB_COMPLETION_INDEX: '0' }],
        ['explicit', ['--shard', '0/2'], {}],
      ] as const) {
        Object.assign(process.env, env);
        const dir = mkdtempSync(path.join(tmpdir(), 'shard-auto-'));
        const res = await runMain(['run', '-m', 'hash:64', '-t', 'DemoSTS,DemoClassification,DemoRetrieval', '-o', path.join(dir, 'out'), '--cache-dir', path.join(dir, 'cache'), '--shard-chunk-rows', '100', '-q', ...argv]);
        expect([label, res.code]).toEqual([label, 0]);
        if (label === 'auto') expect(res.stderr).toContain('shard 0/2 (JOB_COMPLETION_INDEX=0, count from --shards)');
        outs[label] = readdirSync(path.join(dir, 'out', 'mteb-ts__hash-64', 'no_revision_available')).sort();
        for (const k of Object.keys(env)) delete process.env[k];
      }
    } finally {
      process.env = saved;
    }
    expect(outs.auto).toEqual(outs.explicit);
    expect(outs.auto.filter((f) => f.endsWith('.json') && !f.includes('.items') && f !== 'model_meta.json').length).toBeGreaterThan(0);
  });
});
