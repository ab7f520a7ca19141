// Kubernetes (issue 19): the plan's Indexed Job and merge Job checked against the published Kubernetes API schema
// (fixtures/k8s/job-batch-v1.json, committed verbatim, validated by Ajv in strict mode), and the contract they rely on: N processes with
// JOB_COMPLETION_INDEX=i, run with the manifest's own command, produce parts `merge` accepts, equal to one process.
import { describe, test, expect } from '@jest/globals';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { buildPlan, k8sFiles, mergeJob, shardJob, toYaml } from '../../src/shard/plan/index.js';
import { REPO_ROOT, resolveTasks } from '../../src/registry/index.js';
import { JOB_SCHEMA_SHA256, jobSchemaBytes, jobValidator, strict } from './k8s/job-schema.js';
import { comparableResults } from './support/results.js';
import { DEMO } from '../run/helpers.js';

// js-yaml comes with jest (istanbul); only the test reads YAML back, to check what a cluster would parse.
const yaml = createRequire(import.meta.url)('js-yaml') as { safeLoad(s: string): unknown };
const checkJob = jobValidator();
const TASKS = ['DemoRetrieval', 'DemoSTS', 'DemoClassification'];
const RUN_ARGS = ['--model', 'hash:64', '--tasks', ...TASKS, '--shard-chunk-rows', '100', '--quiet'];
const MERGE_ARGS = ['--model', 'hash:64', '--tasks', ...TASKS, '--quiet'];

const plan = (n = 3) =>
  buildPlan({
    tasks: resolveTasks(TASKS.map((t) => path.join(DEMO, t, 'task.json'))),
    count: n,
    chunkRows: 100,
    model: 'hash:64',
    runArgs: RUN_ARGS,
    mergeArgs: MERGE_ARGS,
    launcher: 'mteb-ts',
    name: 'mteb-ts',
  });

describe('the Kubernetes manifests', () => {
  test('shards.yaml and merge.yaml parse back to the Jobs and conform to the batch/v1 Job schema', () => {
    const p = plan();
    const files = Object.fromEntries(k8sFiles(p).map((f) => [f.name, f.text]));
    const shards = yaml.safeLoad(files['shards.yaml']) as any;
    const merge = yaml.safeLoad(files['merge.yaml']) as any;
    expect(shards).toEqual(shardJob(p));
    expect(merge).toEqual(mergeJob(p));
    expect(checkJob(shards)).toEqual([]);
    expect(checkJob(merge)).toEqual([]);
    // What the scale-out relies on.
    expect(shards.spec).toMatchObject({ completionMode: 'Indexed', completions: 3, parallelism: 3, backoffLimitPerIndex: 2 });
    const pod = shards.spec.template.spec;
    expect(pod.restartPolicy).toBe('Never');
    expect(pod.volumes).toEqual([{ name: 'shared', persistentVolumeClaim: { claimName: 'mteb-ts-shared' } }]);
    expect(pod.containers[0]).toMatchObject({ workingDir: '/shared', volumeMounts: [{ name: 'shared', mountPath: '/shared' }], resources: { limits: { 'nvidia.com/gpu': 1 } } });
    expect(pod.containers[0].command).toEqual(['mteb-ts', 'run', ...RUN_ARGS, '--shard', 'auto', '--shards', '3']);
    expect(merge.spec.template.spec.containers[0].command).toEqual(['mteb-ts', 'merge', ...MERGE_ARGS, '--shards', '3']);
  });

  test('the schema is the published file, unedited; the checker refuses a misspelt field, a wrong type, a missing required field, an int32 overflow', () => {
    expect(createHash('sha256').update(jobSchemaBytes()).digest('hex')).toBe(JOB_SCHEMA_SHA256);
    const job = JSON.parse(JSON.stringify(shardJob(plan()))) as any;
    job.spec.backoffLimitPerIdx = 2;
    job.spec.completions = '3';
    job.spec.parallelism = 2 ** 31;
    delete job.spec.template.spec.containers[0].name;
    job.spec.template.spec.volumes[0].persistentVolumeClaim.claimName = 7;
    job.spec.template.spec.containers[0].resources.limit = { cpu: '1' };
    expect(checkJob(job).sort()).toEqual([
      '/spec/completions: must be integer,null',
      '/spec/parallelism: must match format "int32"',
      '/spec/template/spec/containers/0/resources: must NOT have additional properties "limit"',
      '/spec/template/spec/containers/0: must have required property \'name\'',
      '/spec/template/spec/volumes/0/persistentVolumeClaim/claimName: must be string',
      '/spec: must NOT have additional properties "backoffLimitPerIdx"',
    ]);
  });

  test('strict mode is openapi2jsonschema\'s rule: additionalProperties false where properties are and none is given', () => {
    expect(strict({ properties: { a: { type: 'object', properties: { b: {} } }, m: { additionalProperties: { type: 'string' } } }, items: [{ properties: {} }] })).toEqual({
      properties: { a: { type: 'object', properties: { b: {} }, additionalProperties: false }, m: { additionalProperties: { type: 'string' } } },
      items: [{ properties: {} }],
    });
  });

  test("the YAML writer quotes what YAML 1.1 would read as another type ('y' is a boolean there)", () => {
    expect(toYaml({ a: 'true', b: '3', c: '--shard', d: 'hash:64', e: 'plain/word', f: [], g: {}, h: [{ x: 1, y: ['z'] }] })).toBe(
      'a: "true"\nb: "3"\nc: "--shard"\nd: "hash:64"\ne: plain/word\nf: []\ng: {}\nh:\n  - x: 1\n    "y":\n      - z\n',
    );
  });
});

const run = promisify(execFile);
const CLI = path.join(REPO_ROOT, 'bin', 'mteb-ts-dev.js');

describe('the Indexed Job contract', () => {
  test('3 processes with JOB_COMPLETION_INDEX=0..2 running the manifest command, then the merge Job command: equal to one process', async () => {
    const p = plan();
    const shared = mkdtempSync(path.join(tmpdir(), 'k8s-shared-')); // the volume; the pods' workingDir
    // The container command, with the launcher `mteb-ts` replaced by the dev CLI.
    const cmd = (job: any) => (job.spec.template.spec.containers[0].command as string[]).slice(1);
    const env = (i: number) => ({ ...process.env, JOB_COMPLETION_INDEX: String(i) });
    await Promise.all([0, 1, 2].map((i) => run('node', [CLI, ...cmd(shardJob(p))], { cwd: shared, env: env(i) })));
    const merged = await run('node', [CLI, ...cmd(mergeJob(p))], { cwd: shared });
    expect(merged.stdout).toMatch(/merged: 2 results present, 1 split tasks scored, 0 aggregates/);

    const single = mkdtempSync(path.join(tmpdir(), 'k8s-single-'));
    await run('node', [CLI, 'run', ...RUN_ARGS.filter((a) => a !== '--shard-chunk-rows' && a !== '100')], { cwd: single });
    const got = comparableResults(path.join(shared, 'results'));
    expect(Object.keys(got)).toEqual([...TASKS.flatMap((t) => [`${t}.json`, `${t}.items.json`]), 'model_meta.json'].sort());
    expect(got).toEqual(comparableResults(path.join(single, 'results')));
  }, 120_000);
});
