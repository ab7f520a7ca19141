// `--format json` on the commands that print a table (issue 20): run / merge summaries, tasks, benchmarks.
import { describe, test, expect } from '@jest/globals';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runMain } from './support/run-main.js';

describe('--format json', () => {
  test('run prints its summary as one JSON object: raw main scores, counts, files', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'fmt-json-'));
    const r = await runMain(['run', '-m', 'hash:64', '-t', 'DemoSTS,DemoClassification', '-o', out, '--cache-dir', 'none', '-q', '--format', 'json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(Object.keys(j)).toEqual(['model', 'revision', 'output_dir', 'tasks', 'counts']);
    expect([j.model, j.revision, j.output_dir]).toEqual(['mteb-ts/hash-64', 'no_revision_available', out]);
    expect(j.tasks.map((t: { task: string; status: string }) => [t.task, t.status])).toEqual([
      ['DemoSTS', 'done'],
      ['DemoClassification', 'done'],
    ]);
    for (const t of j.tasks) {
      expect(t.main_score).toBeGreaterThan(-1);
      expect(t.main_score).toBeLessThanOrEqual(1);
      expect(t.file).toBe(path.join(out, 'mteb-ts__hash-64', 'no_revision_available', `${t.task}.json`));
    }
    expect(j.counts).toEqual({ done: 2, skipped: 0, deferred: 0, failed: 0 });
    // The same run again: both skipped, same scores.
    const again = JSON.parse((await runMain(['run', '-m', 'hash:64', '-t', 'DemoSTS,DemoClassification', '-o', out, '--cache-dir', 'none', '-q', '-f', 'json'])).stdout);
    expect(again.tasks.map((t: { status: string; main_score: number }) => [t.status, t.main_score])).toEqual(j.tasks.map((t: { main_score: number }) => ['skipped', t.main_score]));
  });

  test('tasks and benchmarks: --format json is --json', async () => {
    for (const cmd of [['tasks', '--type', 'sts'], ['benchmarks']]) {
      const a = await runMain([...cmd, '--format', 'json']);
      const b = await runMain([...cmd, '--json']);
      expect([a.code, b.code]).toEqual([0, 0]);
      expect(a.stdout).toBe(b.stdout);
      expect(Array.isArray(JSON.parse(a.stdout))).toBe(true);
    }
  });
});
