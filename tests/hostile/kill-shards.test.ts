// kill -9 anywhere in a sharded run (`run --shard i/n` into a shared cache, then `merge`), then the same commands
// again: the merged results equal one unsharded run, the corpus is embedded once, and no temp file is left where
// mteb-ts owns the sweep (docs/reliability.md, "What survives kill -9"). One row per kill point.
import { describe, test, expect, beforeAll } from '@jest/globals';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { resolveTasks } from '../../src/registry/index.js';
import { runEvaluation } from '../../src/run/runner.js';
import { HashEmbedder } from '../../src/embedders/baselines/hash-embedder.js';
import { parsePythonJson } from '../../src/output/python-json.js';
import { verifyCache } from '../../src/cache/index.js';
import { DEMO } from '../run/helpers.js';
import { cliKilledAt, pool, snapshot } from './results-helpers.js';

// DemoRetrieval's 300 documents in chunks of 100 are split over both shards (0: chunks 0 and 2, 1: chunk 1), which
// search their chunks; merge merges their top-k lists. DemoSTS is dealt whole to shard 1.
const TASKS = ['DemoRetrieval', 'DemoSTS'];
const MODEL_DIR = path.join('mteb-ts__hash-64', 'no_revision_available');
type Step = 'shard0' | 'shard1' | 'merge';
const STEPS: Step[] = ['shard0', 'shard1', 'merge'];

// Where each process is killed: every kind of file each step writes, before its rename (the temp file complete,
// the final name absent) and, where the next write depends on it, after.
const k = (step: Step, file: string, both = true) =>
  (both ? ['before-rename', 'after-rename'] : ['before-rename']).map((s) => ({ step, at: `${s}:${file}` }));
const KILL_POINTS: { step: Step; at: string }[] = [
  ...k('shard0', 'shard-0.json'), // the shard's layout record, written before any work
  ...k('shard0', 'namespace.json', false), // the cache namespace, created by the first write
  ...k('shard0', 'c-*.arrow'), // the first cache chunk of vectors
  ...k('shard0', 'c-*.idx', false), // its index
  ...k('shard0', 'chunk-0-of-3.topk'), // the first corpus chunk's top-k list, written before its marker
  ...k('shard0', 'chunk-0-of-3.done'), // the first corpus-chunk marker
  ...k('shard0', 'chunk-2-of-3.done'), // the last one
  ...k('shard1', 'DemoSTS.items.json', false), // a task the shard scores itself
  ...k('shard1', 'DemoSTS.json'),
  ...k('merge', 'DemoRetrieval.items.json', false),
  ...k('merge', 'DemoRetrieval.json'),
];

function workspace(): { root: string; taskFiles: string[]; out: string; cache: string } {
  const root = mkdtempSync(path.join(tmpdir(), 'kill-shards-'));
  const taskFiles = TASKS.map((n) => {
    cpSync(path.join(DEMO, n), path.join(root, 'tasks', n), { recursive: true });
    return path.join(root, 'tasks', n, 'task.json');
  });
  return { root, taskFiles, out: path.join(root, 'out'), cache: path.join(root, 'cache') };
}

function args(step: Step, w: ReturnType<typeof workspace>): string[] {
  const common = ['-m', 'hash:64', '--tasks', w.taskFiles.join(','), '--cache-dir', w.cache, '-o', w.out, '-q'];
  if (step === 'merge') return ['merge', ...common, '--shards', '2'];
  return ['run', ...common, '--shard', `${step === 'shard0' ? 0 : 1}/2`, '--shard-chunk-rows', '100'];
}

const scores = (out: string, task: string) => parsePythonJson(readFileSync(path.join(out, MODEL_DIR, `${task}.json`), 'utf8')).scores;
const tempsUnder = (dir: string): string[] =>
  existsSync(dir) ? readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((n) => n.includes('.tmp-')) : [];

describe('sharded run killed at any write, then the same commands again', () => {
  let reference: Record<string, unknown>;
  beforeAll(async () => {
    const w = workspace();
    await runEvaluation({ tasks: resolveTasks(w.taskFiles), embedder: new HashEmbedder(64), outputDir: w.out });
    reference = Object.fromEntries(TASKS.map((t) => [t, scores(w.out, t)]));
  });

  test('every kill point: the killed step dies by SIGKILL, its rerun and the remaining steps finish, results equal an unsharded run', async () => {
    const cases = KILL_POINTS.map((k) => ({ ...k, w: workspace() }));
    const outside = cases.map((c) => snapshot(c.w.root, [c.w.out, c.w.cache]));
    const outcomes = await pool(
      cases.map((c) => async () => {
        const log: string[] = [];
        for (const step of STEPS.slice(0, STEPS.indexOf(c.step))) {
          const r = await cliKilledAt(args(step, c.w), '');
          log.push(`${step}: ${r.code}`);
        }
        const killed = await cliKilledAt(args(c.step, c.w), c.at);
        log.push(`${c.step} killed: ${killed.signal}`);
        // The user's recovery: run the step that died again, then the rest, with no flag and nothing cleaned.
        for (const step of STEPS.slice(STEPS.indexOf(c.step))) {
          const r = await cliKilledAt(args(step, c.w), '');
          log.push(`${step}: ${r.code}${r.code === 0 ? '' : ` ${r.stderr.trim().split('\n').slice(-2).join(' | ')}`}`);
        }
        return log;
      }),
      2,
    );
    for (const [i, c] of cases.entries()) {
      const label = `${c.step} ${c.at}`;
      const tail = STEPS.slice(STEPS.indexOf(c.step)).map((s) => `${s}: 0`);
      const head = STEPS.slice(0, STEPS.indexOf(c.step)).map((s) => `${s}: 0`);
      expect([label, outcomes[i]]).toEqual([label, [...head, `${c.step} killed: SIGKILL`, ...tail]]);
      for (const t of TASKS) expect([label, t, scores(c.w.out, t)]).toEqual([label, t, reference[t]]);
      // Output folder and shard markers: the next run on this machine sweeps a dead writer's temp file.
      expect([label, tempsUnder(c.w.out)]).toEqual([label, []]);
      // The cache keeps a dead writer's temp file until `cache prune` (an hour old: another machine may own it);
      // every chunk it holds is whole. A chunk killed before its index is indexed again when its namespace is next
      // opened (the merge rerun may not need to open it: the killed merge had written its results first).
      expect([label, tempsUnder(c.w.cache).length <= 1]).toEqual([label, true]);
      const v = await verifyCache(c.w.cache);
      expect([label, v.checked > 0, v.corrupt, v.badIndexes.length <= (c.at === 'after-rename:c-*.arrow' ? 1 : 0)]).toEqual([label, true, [], true]);
      expect([label, snapshot(c.w.root, [c.w.out, c.w.cache])]).toEqual([label, outside[i]]);
    }
  }, 600_000);
});
