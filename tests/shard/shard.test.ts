import { describe, test, expect } from '@jest/globals';
import { parsePythonJson } from '../../src/output/python-json.js';
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { runEvaluation } from '../../src/run/runner.js';
import { mergeShards, planMerge } from '../../src/shard/merge.js';
import { parseShard, selectShardTasks } from '../../src/shard/select-tasks.js';
import { HashEmbedder } from '../../src/embedders/baselines/hash-embedder.js';
import { EmbeddingCache } from '../../src/cache/index.js';
import { resolveTasks } from '../../src/registry/index.js';
import type { Embedder, EmbedOptions } from '../../src/core/embedder.js';
import type { TaskSpec } from '../../src/task-types/spec.js';
import { DEMO, tmpOut } from '../run/helpers.js';

/** Counts every text that reaches the real model (i.e. was not answered by the cache). */
class CountingEmbedder extends HashEmbedder {
  embedded = 0;
  async embed(texts: string[], o: EmbedOptions) {
    this.embedded += texts.length;
    return super.embed(texts, o);
  }
}

const names = ['DemoRetrieval', 'DemoSTS', 'DemoClassification', 'DemoBitextMining', 'DemoReranking'];
const tasks = (): TaskSpec[] => resolveTasks(names.map((n) => path.join(DEMO, n, 'task.json')));
const read = (out: string, t: string) => parsePythonJson(readFileSync(path.join(out, 'mteb-ts__hash-64', 'no_revision_available', `${t}.json`), 'utf8'));
const quiet = { warn: () => {} };

describe('sharding', () => {
  test('--shard parsing and the deterministic task split', () => {
    expect(parseShard('1/3')).toEqual({ index: 1, count: 3 });
    expect(() => parseShard('3/3')).toThrow(/0 <= i < n/);
    expect(() => parseShard('a/b')).toThrow(/expects i\/n/);
    const t = tasks();
    const parts = [0, 1].map((i) => selectShardTasks(t, { index: i, count: 2 }).map((s) => s.name));
    expect([...parts[0], ...parts[1]].sort()).toEqual([...names].sort());
    expect(parts[0].filter((n) => parts[1].includes(n))).toEqual([]);
  });

  test('two shards plus merge equal one unsharded run, and merge embeds nothing', async () => {
    const plain = tmpOut();
    await runEvaluation({ tasks: tasks(), embedder: new HashEmbedder(64), outputDir: plain });

    const out = tmpOut();
    const cacheDir = path.join(out, 'shared-cache');
    const shard = (i: number) => {
      const inner = new CountingEmbedder(64);
      return { inner, run: runEvaluation({ tasks: tasks(), embedder: new EmbeddingCache(cacheDir, quiet).wrap(inner), outputDir: out, shard: { index: i, count: 2, chunkRows: 100 } }) };
    };
    // Shard 1 alone: merge must refuse and say what is missing.
    const s1 = shard(1);
    const r1 = await s1.run;
    expect(r1.outcomes.find((o) => o.task === 'DemoRetrieval')).toMatchObject({ status: 'deferred', note: 'embedded and searched 2 of 3 corpus chunks' });
    const partial = planMerge(tasks(), out, 'mteb-ts/hash-64', 'no_revision_available', 2);
    // Chunks dealt by cost with the tasks (lpt-tokens-v2): shard 0 has DemoClassification (6,070 tokens) and so
    // only chunk 2 (5,868); shard 1 chunks 0 and 1.
    expect(partial.missing.some((m) => m.startsWith('DemoRetrieval: test/default: corpus chunks 2 of 3 not searched (shards 0)'))).toBe(true);
    await expect(mergeShards({ tasks: tasks(), embedder: new HashEmbedder(64), outputDir: out, count: 2 })).rejects.toThrow(/cannot merge/);

    const s0 = shard(0);
    await s0.run;
    const merger = new CountingEmbedder(64);
    const merged = await mergeShards({ tasks: tasks(), embedder: new EmbeddingCache(cacheDir, quiet).wrap(merger), outputDir: out, count: 2 });
    expect(merged.plan.missing).toEqual([]);
    expect(merged.plan.toScore.map((t) => t.name)).toEqual(['DemoRetrieval']);
    // Merge embeds nothing: the shards searched their chunks and left top-k lists.
    expect(merger.embedded).toBe(0);
    expect(s0.inner.embedded + s1.inner.embedded).toBeGreaterThanOrEqual(300);

    for (const t of names) expect(read(out, t).scores).toEqual(read(plain, t).scores);
  });

  test("a malformed corpus row in a shard's chunk fails that shard (its first pass took only the row's id), never scored", async () => {
    const dir = tmpOut();
    const task = path.join(dir, 'DemoRetrieval');
    cpSync(path.join(DEMO, 'DemoRetrieval'), task, { recursive: true });
    const corpusFile = path.join(task, 'corpus.jsonl');
    const lines = readFileSync(corpusFile, 'utf8').split('\n');
    // Row 150 (chunk 1 of 3 at 100 rows): its id intact, its text an invalid JSON escape the id scan skips over.
    lines[149] = '{"_id":"doc149","title":"","text":"bad \\x escape"}';
    writeFileSync(corpusFile, lines.join('\n'));
    const out = tmpOut();
    const outcomes = [];
    for (const index of [0, 1]) {
      const r = await runEvaluation({ tasks: resolveTasks([path.join(task, 'task.json')]), embedder: new HashEmbedder(64), outputDir: out, shard: { index, count: 2, chunkRows: 100 } });
      outcomes.push(r.outcomes.find((o) => o.task === 'DemoRetrieval')!);
    }
    // The shard owning chunk 1 reads its rows back to embed them and refuses the row, naming file and line; the other searched its chunks.
    const failed = outcomes.filter((o) => o.status === 'failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ errorCode: 'E_PARSE' });
    expect((failed[0] as { error: string }).error).toMatch(/corpus\.jsonl:150.*invalid JSON/);
    expect(outcomes.filter((o) => o.status === 'deferred')).toHaveLength(1);
    await expect(mergeShards({ tasks: resolveTasks([path.join(task, 'task.json')]), embedder: new HashEmbedder(64), outputDir: out, count: 2 })).rejects.toThrow(/cannot merge/);
    rmSync(dir, { recursive: true, force: true });
  });
});
