import { describe, test, expect } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../../src/registry/index.js';
import { parsePythonJson } from '../../src/output/python-json.js';

function cli(args: string[]) {
  const r = spawnSync(process.execPath, [path.join(REPO_ROOT, 'bin', 'mteb-ts-dev.js'), ...args], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
const task = (n: string) => path.join('fixtures', 'tasks', n, 'task.json');

describe('mteb-ts CLI', () => {
  test('run writes results, prints the summary table and exits 0', () => {
    const out = mkdtempSync(path.join(tmpdir(), 'cli-'));
    const r = cli(['run', '-m', 'hash:128', '--tasks', `${task('DemoSTS')},${task('DemoBitextMining')}`, '-o', out, '--cache-dir', 'none', '-q']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/DemoSTS\s+│ done/);
    expect(r.stdout).toContain('2 done, 0 skipped, 0 failed');
    expect(existsSync(path.join(out, 'mteb-ts__hash-128', 'no_revision_available', 'DemoSTS.json'))).toBe(true);
    const again = cli(['run', '-m', 'hash:128', '--tasks', task('DemoSTS'), '-o', out, '--cache-dir', 'none', '-q']);
    expect(again.stdout).toMatch(/DemoSTS\s+│ skipped/);
  });

  test('an unknown task is one error line and exit 2, no stack trace', () => {
    const r = cli(['run', '-m', 'hash:8', '--tasks', 'ArguAnna', '-o', mkdtempSync(path.join(tmpdir(), 'cli-'))]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')[0]).toMatch(/^error\[E_UNKNOWN_TASK\] task ArguAnna: unknown task "ArguAnna"/);
    expect(r.stderr).not.toMatch(/at .*\.ts:\d+/);
  });

  test('bundled demo tasks run by name; --type matches case-insensitively; a selection of nothing is exit 2, never a pass', () => {
    const out = mkdtempSync(path.join(tmpdir(), 'cli-'));
    const byName = cli(['run', '-m', 'hash:32', '-t', 'DemoSTS', '-o', out, '--cache-dir', 'none', '-q']);
    expect(byName.code).toBe(0);
    expect(byName.stdout).toContain('1 done, 0 skipped, 0 failed');
    const lower = cli(['run', '-m', 'hash:32', '-b', 'demo', '--type', 'sts', '-o', out, '--cache-dir', 'none', '-q']);
    expect(lower.code).toBe(0);
    expect(lower.stdout).toMatch(/DemoSTS\s+│ skipped/);
    expect(lower.stdout).toContain('0 done, 1 skipped, 0 failed');
    const unknownType = cli(['run', '-m', 'hash:32', '-b', 'demo', '--type', 'stss', '-o', out]);
    expect(unknownType.code).toBe(2);
    expect(unknownType.stderr.split('\n')[0]).toMatch(/^error\[E_USAGE\] field "type": --type "stss" is not a task type \(Retrieval, Reranking, Classification, /);
    const nothing = cli(['run', '-m', 'hash:32', '-t', 'DemoSTS', '--type', 'Retrieval', '-o', out]);
    expect(nothing.code).toBe(2);
    expect(nothing.stderr.split('\n')[0]).toBe('error[E_USAGE] field "type": the selection matches no task: --type Retrieval is not among its task types (STS)');
  });

  test('report and compare without -b score the benchmark the results cover, and say so; results of no benchmark are exit 2', () => {
    const out = mkdtempSync(path.join(tmpdir(), 'cli-'));
    expect(cli(['run', '-m', 'hash:32', '-b', 'demo', '-o', out, '--cache-dir', 'none', '-q']).code).toBe(0);
    const rep = cli(['report', out, '--format', 'json']);
    expect(rep.code).toBe(0);
    expect(rep.stderr).toContain('benchmark: demo (8 of its 8 tasks have result files; -b chooses another)');
    const doc = JSON.parse(rep.stdout);
    expect(doc.benchmark).toBe('demo');
    expect(Object.values(doc.models[0].tasks).filter((v) => v !== null)).toHaveLength(8);
    const cmp = cli(['compare', out, out, '--format', 'json']);
    expect(cmp.code).toBe(0);
    expect(JSON.parse(cmp.stdout).benchmark).toBe('demo');
    // A folder whose result files belong to no benchmark: one usage error naming what it holds.
    const odd = mkdtempSync(path.join(tmpdir(), 'cli-'));
    const rev = path.join(odd, 'acme__m', 'r1');
    cpSync(path.join(out, 'mteb-ts__hash-32', 'no_revision_available', 'DemoSTS.json'), path.join(rev, 'NotATask.json'), { recursive: true });
    const none = cli(['report', odd]);
    expect(none.code).toBe(2);
    expect(none.stderr.split('\n')[0]).toBe('error[E_USAGE] field "benchmark": the results hold no task of any known benchmark (found: NotATask); name one with -b (mteb-ts benchmarks lists them)');
  });

  test('a bad model spec and a missing option are usage errors (exit 2)', () => {
    expect(cli(['run', '-m', 'nope:1', '--tasks', task('DemoSTS')]).code).toBe(2);
    const r = cli(['run', '--tasks', task('DemoSTS')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Missing required argument: model/);
  });

  test('a task that fails makes the run exit 1 while the others are written', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'broken-'));
    cpSync(path.join(REPO_ROOT, 'fixtures', 'tasks', 'DemoSTS'), dir, { recursive: true });
    writeFileSync(path.join(dir, 'test.jsonl'), '{"sentence1": "a", "sentence2": "b", "score": 1}\n{not json}\n');
    const out = mkdtempSync(path.join(tmpdir(), 'cli-'));
    const r = cli(['run', '-m', 'hash:16', '--tasks', `${path.join(dir, 'task.json')},${task('DemoBitextMining')}`, '-o', out, '-q', '--cache-dir', 'none']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/DemoSTS\s+│ FAILED/);
    expect(r.stderr).toContain(`error[E_PARSE] task DemoSTS ${path.join(dir, 'test.jsonl')}:2: invalid JSON`);
    expect(existsSync(path.join(out, 'mteb-ts__hash-16', 'no_revision_available', 'DemoBitextMining.json'))).toBe(true);
  });

  test('--search-engine picks the exact-search engine (results record the canonical scoring, not the engine); blas without a library is refused up front', () => {
    const out = mkdtempSync(path.join(tmpdir(), 'cli-'));
    const r = cli(['run', '-m', 'hash:64', '--tasks', task('DemoRetrieval'), '-o', out, '--cache-dir', 'none', '-q', '--search-engine', 'onnx']);
    expect(r.code).toBe(0);
    const res = parsePythonJson(readFileSync(path.join(out, 'mteb-ts__hash-64', 'no_revision_available', 'DemoRetrieval.json'), 'utf8'));
    expect(res.mteb_ts.metadata['test/default']).toEqual({ search: 'exact', search_scores: 'canonical-f64-v1' });
    const bad = cli(['run', '-m', 'hash:64', '--tasks', task('DemoRetrieval'), '-o', out, '--search-engine', 'blas', '--blas-lib', '/nonexistent/libcblas.so']);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split('\n')[0]).toMatch(/^error\[E_PROVIDER_UNAVAILABLE\] no CBLAS library for the BLAS search engine: tried \/nonexistent\/libcblas\.so/);
    expect(cli(['run', '-m', 'hash:64', '--tasks', task('DemoRetrieval'), '--search-engine', 'faiss']).code).toBe(2);
  });
});
