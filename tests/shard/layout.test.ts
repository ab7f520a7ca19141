// Every shard records its layout; merge refuses parts made under different ones (issue 19).
import { describe, test, expect } from '@jest/globals';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { runEvaluation } from '../../src/run/runner.js';
import { mergeShards } from '../../src/shard/merge.js';
import { checkShardLayouts, type ShardLayout } from '../../src/shard/layout.js';
import { HashEmbedder } from '../../src/embedders/baselines/hash-embedder.js';
import { EmbeddingCache } from '../../src/cache/index.js';
import { resolveTasks } from '../../src/registry/index.js';
import type { TaskSpec } from '../../src/task-types/spec.js';
import { DEMO, tmpOut } from '../run/helpers.js';

const names = ['DemoRetrieval', 'DemoSTS', 'DemoClassification'];
const tasks = (n = names): TaskSpec[] => resolveTasks(n.map((t) => path.join(DEMO, t, 'task.json')));
const quiet = { warn: () => {} };

async function shard(out: string, index: number, count: number, opts: { chunkRows?: number; tasks?: TaskSpec[] } = {}) {
  await runEvaluation({
    tasks: opts.tasks ?? tasks(),
    embedder: new EmbeddingCache(path.join(out, 'cache'), quiet).wrap(new HashEmbedder(64)),
    outputDir: out,
    shard: { index, count, chunkRows: opts.chunkRows ?? 100 },
  });
}
const merge = (out: string, count: number) =>
  mergeShards({ tasks: tasks(), embedder: new EmbeddingCache(path.join(out, 'cache'), quiet).wrap(new HashEmbedder(64)), outputDir: out, count });

describe('shard layouts', () => {
  test('a shard records n, its tasks, the corpus chunking, model and revision before it works', async () => {
    const out = tmpOut();
    await shard(out, 1, 2);
    const file = path.join(out, '.shards', 'mteb-ts__hash-64', 'no_revision_available', 'layout', 'shard-1.json');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({
      index: 1,
      count: 2,
      tasks: ['DemoClassification', 'DemoRetrieval', 'DemoSTS'],
      chunkRows: 100,
      model: 'mteb-ts/hash-64',
      revision: 'no_revision_available',
      // What decided the split: the rule and each task's token estimate (the fixtures' data bytes / 4).
      assignment: { method: 'lpt-tokens-v2', tokens: { DemoClassification: 6070, DemoRetrieval: 18453, DemoSTS: 3645 } },
    });
  });

  test('same layout: merge completes; a shard rerun with another n, chunking or task list: merge refuses, naming it', async () => {
    const ok = tmpOut();
    await shard(ok, 0, 2);
    await shard(ok, 1, 2);
    expect((await merge(ok, 2)).plan.missing).toEqual([]);

    const otherN = tmpOut();
    await shard(otherN, 0, 2);
    await shard(otherN, 1, 3);
    await expect(merge(otherN, 2)).rejects.toThrow(/different shard layouts[^]*shard 1\/3: run with n = 3, merging n = 2$/);

    const otherChunks = tmpOut();
    await shard(otherChunks, 0, 2);
    await shard(otherChunks, 1, 2, { chunkRows: 150 });
    await expect(merge(otherChunks, 2)).rejects.toThrow(/shard 1\/2: corpus chunks of 150 rows, shard 0 used 100$/);

    const otherTasks = tmpOut();
    await shard(otherTasks, 0, 2, { tasks: tasks(['DemoRetrieval', 'DemoSTS']) });
    await shard(otherTasks, 1, 2);
    await expect(merge(otherTasks, 2)).rejects.toThrow(/shard 0\/2: its tasks \(2\) differ from merge's \(3\)/);
  });

  test('checkShardLayouts: no layouts (shards of an older mteb-ts) pass; every difference is listed', () => {
    const want = { count: 2, tasks: ['A', 'B'], model: 'm', revision: 'r' };
    const l = (o: Partial<ShardLayout>): ShardLayout => ({ index: 0, count: 2, tasks: ['B', 'A'], chunkRows: 10, model: 'm', revision: 'r', ...o });
    expect(() => checkShardLayouts([], want)).not.toThrow();
    expect(() => checkShardLayouts([l({}), l({ index: 1 })], want)).not.toThrow();
    expect(() => checkShardLayouts([l({}), l({ index: 3, count: 4 })], want)).toThrow(/shard 3\/4: run with n = 4, merging n = 2; index 3 is not below n = 2/);
  });

  test('checkShardLayouts: shards that dealt tasks by another rule or from other cost estimates are refused, naming the tasks', () => {
    const want = { count: 2, tasks: ['A', 'B'], model: 'm', revision: 'r' };
    const assignment = { method: 'lpt-tokens-v1', tokens: { A: 10, B: 20 } };
    const l = (o: Partial<ShardLayout>): ShardLayout => ({ index: 0, count: 2, tasks: ['A', 'B'], chunkRows: 10, model: 'm', revision: 'r', assignment, ...o });
    expect(() => checkShardLayouts([l({}), l({ index: 1 })], want)).not.toThrow();
    // One shard from an mteb-ts that dealt round-robin, one from this one: their task lists need not add up.
    expect(() => checkShardLayouts([l({}), l({ index: 1, assignment: undefined })], want)).toThrow(
      /shard 1\/2: tasks dealt by round-robin \(an older mteb-ts\), shard 0 by lpt-tokens-v1$/,
    );
    // Shards of the mteb-ts that dealt corpus chunks c mod n (lpt-tokens-v1) beside this one's: other chunk owners.
    expect(() => checkShardLayouts([l({}), l({ index: 1, assignment: { method: 'lpt-tokens-v2', tokens: { A: 10, B: 20 } } })], want)).toThrow(
      /shard 1\/2: tasks dealt by lpt-tokens-v2, shard 0 by lpt-tokens-v1$/,
    );
    // Same rule, but B's data differed on shard 1's machine (another size): another split.
    expect(() => checkShardLayouts([l({}), l({ index: 1, assignment: { method: 'lpt-tokens-v1', tokens: { A: 10, B: 25 } } })], want)).toThrow(
      /shard 1\/2: its task cost estimates differ from shard 0's \(B 25 vs 20\)$/,
    );
  });
});

describe('a damaged layout record', () => {
  test('merge names the file and the line (the one JSON reader)', async () => {
    const out = tmpOut();
    await shard(out, 0, 2);
    const { writeFileSync } = await import('node:fs');
    const file = path.join(out, '.shards', 'mteb-ts__hash-64', 'no_revision_available', 'layout', 'shard-0.json');
    writeFileSync(file, '{\n  "index": 0,\n  "count": 2,,\n}\n');
    const { formatError } = await import('../../src/core/errors.js');
    const err = await merge(out, 2).catch((e) => e);
    expect(formatError(err)).toMatch(new RegExp(`^error\\[E_PARSE\\] ${file.replace(/[.]/g, '\\.')}:3: invalid JSON`));
  });
});
