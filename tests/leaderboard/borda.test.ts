import { describe, test, expect } from '@jest/globals';
import path from 'node:path';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { runEvaluation } from '../../src/run/runner.js';
import { resolveTasks, REPO_ROOT } from '../../src/registry/index.js';
import { HashEmbedder } from '../../src/embedders/baselines/hash-embedder.js';
import { buildLeaderboard } from '../../src/leaderboard/index.js';

describe('Borda ranking as mteb ranks it', () => {
  test('equal Borda counts share the best rank; a model with no scored task is left out', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'borda-'));
    const demo = (t: string) => path.join(REPO_ROOT, 'fixtures/tasks', t, 'task.json');
    const sts = resolveTasks([demo('DemoSTS'), demo('DemoBitextMining')]);
    await runEvaluation({ tasks: sts, embedder: new HashEmbedder(32), outputDir: out, modelName: 'a/twin-1', modelRevision: 'r' });
    await runEvaluation({ tasks: sts, embedder: new HashEmbedder(32), outputDir: out, modelName: 'a/twin-2', modelRevision: 'r' });
    await runEvaluation({ tasks: sts, embedder: new HashEmbedder(8), outputDir: out, modelName: 'a/small', modelRevision: 'r' });
    await runEvaluation({ tasks: resolveTasks([path.join(REPO_ROOT, 'fixtures/tasks/V2Classification/task.json')]), embedder: new HashEmbedder(8), outputDir: out, modelName: 'a/elsewhere', modelRevision: 'r' });
    const lines: string[] = [];
    const lb = buildLeaderboard([out], { benchmark: 'demo', log: (l) => lines.push(l) });
    const ranks = Object.fromEntries(lb.models.map((m) => [m.model, m.rank]));
    expect(ranks['a/twin-1']).toBe(ranks['a/twin-2']);
    expect(Object.keys(ranks)).not.toContain('a/elsewhere');
    expect(lines.some((l) => l.startsWith('a/elsewhere: no task of demo scored'))).toBe(true);
    expect(Object.values(ranks).sort()).toEqual(ranks['a/small'] === 1 ? [1, 2, 2] : [1, 1, 3]);
  });
});
