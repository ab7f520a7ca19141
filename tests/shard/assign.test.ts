// Cost-balanced shard assignment (issue 19): estimates, longest-processing-time first, chunks of split corpora.
import { describe, test, expect } from '@jest/globals';
import path from 'node:path';
import { assignShards, chunkShards, DEFAULT_CHUNK_ROWS, selectShardTasks } from '../../src/shard/select-tasks.js';
import { DEFAULT_TASK_TOKENS, estimateModelParams, estimateTaskCost, gpuHours } from '../../src/shard/cost.js';
import { DEFAULT_SHARD_CHUNK_ROWS } from '../../src/run/runner.js';
import { getTask, resolveTasks } from '../../src/registry/index.js';
import type { TaskSpec } from '../../src/task-types/spec.js';
import { writeFileSync } from 'node:fs';
import { copyDemoTask, DEMO } from '../run/helpers.js';

const demo = (names: string[]): TaskSpec[] => resolveTasks(names.map((n) => path.join(DEMO, n, 'task.json')));

describe('task cost estimates', () => {
  test('published corpus statistics, local data files, or the default', () => {
    // MSMARCO: 8,841,823 documents x (56 words x 1.35 + 2) + 6,980 queries x 16.
    expect(estimateTaskCost(getTask('MSMARCO'))).toEqual({
      task: 'MSMARCO',
      tokens: Math.round(8_841_823 * (56 * 1.35 + 2)) + 6_980 * 16,
      corpusTokens: Math.round(8_841_823 * (56 * 1.35 + 2)),
      documents: 8_841_823,
      source: 'stats',
    });
    // The fixture: 300 documents in corpus.jsonl (70,415 bytes); all data files 73,812 bytes -> /4.
    expect(estimateTaskCost(demo(['DemoRetrieval'])[0])).toEqual({ task: 'DemoRetrieval', tokens: 18_453, documents: 300, corpusTokens: 17_604, source: 'local files' });
    expect(estimateTaskCost(getTask('STS12'))).toEqual({ task: 'STS12', tokens: DEFAULT_TASK_TOKENS, source: 'default' });
  });

  test('a local corpus: documents are its lines holding more than whitespace (CRLF, blank lines, no final newline)', () => {
    const { dir, spec } = copyDemoTask('DemoRetrieval', 'LocalCorpus');
    const text = '{"_id":"a","text":"x"}\n\n  \r\n{"_id":"b","text":"y"}\r\n{"_id":"c","text":"z"}';
    writeFileSync(path.join(dir, 'corpus.jsonl'), text);
    expect(estimateTaskCost(spec)).toMatchObject({ task: 'LocalCorpus', documents: 3, corpusTokens: Math.ceil(Buffer.byteLength(text) / 4), source: 'local files' });
  });

  test('model sizes: known names, baselines, the 7B default, or given', () => {
    expect(estimateModelParams('openai:http://h:8000#nvidia/NV-Embed-v2')).toEqual({ params: 7_850_000_000, source: 'known model' });
    expect(estimateModelParams('hash:512').params).toBe(0);
    expect(estimateModelParams('openai:http://h:8000#some/other')).toEqual({ params: 7_000_000_000, source: 'default' });
    expect(estimateModelParams('hash:512', 3e8)).toEqual({ params: 3e8, source: 'given' });
    // 26k tokens/s at 7.85B parameters on one H100: one hour embeds 93.6M tokens.
    expect(gpuHours(93_600_000, 7_850_000_000)).toBeCloseTo(1, 10);
  });
});

describe('assignShards', () => {
  test('largest first onto the least-loaded shard, ties by name and by lowest index', () => {
    const t = demo(['DemoRetrieval', 'DemoSTS', 'DemoClassification', 'DemoBitextMining', 'DemoReranking', 'DemoClustering']);
    const a = assignShards(t, 2);
    const tokens = Object.fromEntries(a.costs.map((c) => [c.task, c.tokens]));
    expect(tokens).toEqual({ DemoBitextMining: 2216, DemoClassification: 6070, DemoClustering: 4033, DemoReranking: 3887, DemoRetrieval: 18453, DemoSTS: 3645 });
    // 18453 -> 0; 6070 -> 1; 4033 -> 1 (10103); 3887 -> 1 (13990); 3645 -> 1 (17635); 2216 -> 1 (17635 < 18453).
    expect(a.shards.map((s) => s.tasks)).toEqual([['DemoRetrieval'], ['DemoBitextMining', 'DemoClassification', 'DemoClustering', 'DemoReranking', 'DemoSTS']]);
    expect(a.shards.map((s) => s.tokens)).toEqual([18453, 19851]);
    // Round-robin by name would have put DemoRetrieval and DemoReranking together (shard 1 of 2).
    expect(selectShardTasks(t, { index: 0, count: 2 }).map((s) => s.name)).toEqual(['DemoRetrieval']);
  });

  test('the same split from any input order, and every task exactly once', () => {
    const names = ['DemoRetrieval', 'DemoSTS', 'DemoClassification', 'DemoBitextMining', 'DemoReranking', 'DemoClustering', 'DemoSummarization', 'DemoPairClassification'];
    const a = assignShards(demo(names), 3);
    const b = assignShards(demo([...names].reverse()), 3);
    expect(b).toEqual(a);
    expect(a.shards.flatMap((s) => s.tasks).sort()).toEqual([...names].sort());
  });

  test('big corpora are split and their chunks dealt by cost with the tasks (LPT), not chunk c to shard c mod n', () => {
    const a = assignShards([getTask('MSMARCO'), getTask('NQ'), getTask('SciFact'), getTask('STS12')], 4, DEFAULT_CHUNK_ROWS);
    // NQ's five full chunks (54.3M tokens) first, then MSMARCO's 17 full ones (38.8M), then the tasks and the two
    // short last chunks (MSMARCO 17: 26.5M, NQ 5: 19.7M) where the load is least.
    expect(a.shards.map((s) => s.chunks.filter((c) => c.task === 'MSMARCO').map((c) => c.chunk))).toEqual([
      [6, 10, 14],
      [0, 3, 7, 11, 15],
      [1, 4, 8, 12, 16],
      [2, 5, 9, 13, 17],
    ]);
    expect(a.shards.map((s) => s.chunks.filter((c) => c.task === 'NQ').map((c) => c.chunk))).toEqual([[0, 4, 5], [1], [2], [3]]);
    expect(a.shards.map((s) => s.tasks)).toEqual([['MSMARCO', 'NQ', 'SciFact'], [], [], ['STS12']]);
    // max/mean 1.002; chunk c mod n gave 302,649,998 / 255,766,961 / 221,524,999 / 211,204,446 (1.22).
    expect(a.shards.map((s) => s.tokens)).toEqual([246_445_943, 248_324_999, 248_324_999, 248_050_463]);
    // What the retrieval adapter asks: the shard of each chunk; a corpus cut otherwise than estimated: c mod n.
    expect(chunkShards(a, 'NQ', 6)).toEqual([0, 1, 2, 3, 0, 0]);
    expect(chunkShards(a, 'NQ', 7)).toEqual([0, 1, 2, 3, 0, 1, 2]);
    expect(chunkShards(a, 'SciFact', 2)).toEqual([0, 1]);
    // One shard: nothing is split.
    expect(assignShards([getTask('MSMARCO')], 1).shards[0]).toMatchObject({ tasks: ['MSMARCO'], chunks: [] });
  });

  test("the plan's default chunk size is the runner's", () => {
    expect(DEFAULT_CHUNK_ROWS).toBe(DEFAULT_SHARD_CHUNK_ROWS);
  });
});
