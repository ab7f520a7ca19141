import { closeSync, existsSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import path from 'node:path';
import type { TaskSpec } from '../task-types/spec.js';
import { CORPUS_STATS } from './corpus-stats.js';

/**
 * The shard cost model: a task costs (tokens it embeds) × (model parameters). Within one run every task is
 * embedded by the same model, so the parameter count scales every task alike and the assignment of tasks to
 * shards depends on the token estimates alone; the parameters only turn the plan's totals into GPU-hours.
 *
 * Token estimates, first that applies (every input is a property of the task list, never of the machine,
 * so every shard and `merge` compute the same numbers):
 *   1. the task's published corpus statistics (src/shard/corpus-stats.ts): documents × (words × 1.35 + 2) +
 *      queries × 16 (words → tokens as in docs/scaling.md);
 *   2. a task whose dataset is a local folder (task files, the fixtures): its data files' bytes / 4, the
 *      chars/4 rule the OpenAI client uses (documents × average length, read from the file sizes);
 *   3. otherwise DEFAULT_TASK_TOKENS, the mean of MTEB(eng, v1)'s 41 non-retrieval tasks (≈ 0.5B tokens / 41).
 */
export const DEFAULT_TASK_TOKENS = 12_000_000;
const QUERY_TOKENS = 16;
/** The files of a local dataset folder that hold data (task.json and golden outputs are not read by a run). */
const DATA_FILE = /\.(jsonl|json|tsv|csv|parquet|txt)(\.gz)?$/;

export interface TaskCost {
  task: string;
  /** Estimated tokens to embed (integer). */
  tokens: number;
  /** Corpus documents, where known (decides whether a retrieval corpus is split into chunks). */
  documents?: number;
  /** The corpus's part of `tokens`, where known (what a split corpus spreads over its chunks). */
  corpusTokens?: number;
  source: 'stats' | 'local files' | 'default';
}

function localDatasetDir(spec: TaskSpec): string | undefined {
  if (!spec.source_dir) return undefined;
  const dir = path.resolve(spec.source_dir, spec.dataset.path);
  return existsSync(dir) && statSync(dir).isDirectory() ? dir : undefined;
}

/** Data files under a local dataset folder, in a fixed (sorted) order. */
function dataFiles(dir: string, rel = ''): string[] {
  const out: string[] = [];
  for (const e of readdirSync(path.join(dir, rel), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) {
      if (e.name !== 'golden' && !e.name.startsWith('.')) out.push(...dataFiles(dir, r));
    } else if (DATA_FILE.test(e.name) && r !== 'task.json') out.push(r);
  }
  return out;
}

/** Lines holding more than whitespace, read 1 MiB at a time (a local corpus may be far bigger than memory wants). */
function countDataLines(file: string): number {
  const fd = openSync(file, 'r');
  const buf = Buffer.allocUnsafe(1 << 20);
  let lines = 0;
  let filled = false;
  try {
    for (let n; (n = readSync(fd, buf, 0, buf.length, null)) > 0; ) {
      for (let i = 0; i < n; i++) {
        const b = buf[i];
        if (b === 0x0a) {
          if (filled) lines++;
          filled = false;
        } else if (b !== 0x20 && b !== 0x09 && b !== 0x0d) filled = true;
      }
    }
  } finally {
    closeSync(fd);
  }
  return lines + (filled ? 1 : 0);
}

/** Per process: a shard and merge ask for the same estimates many times (merge once per shard and missing task). */
const corpusMemo = new Map<string, { documents: number; corpusTokens: number }>();

/** Documents and tokens of a local BEIR-layout corpus (`corpus.jsonl`): its non-empty lines, its bytes / 4. */
function localCorpus(dir: string): { documents: number; corpusTokens: number } | undefined {
  const f = path.join(dir, 'corpus.jsonl');
  if (!existsSync(f)) return undefined;
  const st = statSync(f);
  const key = `${f}\0${st.size}\0${st.mtimeMs}`;
  let hit = corpusMemo.get(key);
  if (!hit) corpusMemo.set(key, (hit = { documents: countDataLines(f), corpusTokens: Math.ceil(st.size / 4) }));
  return hit;
}

export function estimateTaskCost(spec: TaskSpec): TaskCost {
  const stats = CORPUS_STATS[spec.name];
  if (stats) {
    const corpusTokens = Math.round(stats.documents * (stats.wordsPerDocument * 1.35 + 2));
    return { task: spec.name, tokens: corpusTokens + stats.queries * QUERY_TOKENS, documents: stats.documents, corpusTokens, source: 'stats' };
  }
  const dir = localDatasetDir(spec);
  if (dir) {
    const bytes = dataFiles(dir).reduce((s, f) => s + statSync(path.join(dir, f)).size, 0);
    return { task: spec.name, tokens: Math.ceil(bytes / 4), ...localCorpus(dir), source: 'local files' };
  }
  return { task: spec.name, tokens: DEFAULT_TASK_TOKENS, source: 'default' };
}

/** Parameter counts of the models we know by name; anything else is assumed a 7B model. */
const MODEL_PARAMS: readonly [RegExp, number][] = [
  [/nv-embed-tiny/i, 1_000_000],
  [/NV-Embed/i, 7_850_000_000],
  [/^(hash|random|precomputed):/, 0],
];
export const DEFAULT_MODEL_PARAMS = 7_000_000_000;

export interface ModelSize {
  params: number;
  source: 'known model' | 'default' | 'given';
}

export function estimateModelParams(modelSpec: string, given?: number): ModelSize {
  if (given !== undefined) return { params: given, source: 'given' };
  const hit = MODEL_PARAMS.find(([re]) => re.test(modelSpec));
  return hit ? { params: hit[1], source: 'known model' } : { params: DEFAULT_MODEL_PARAMS, source: 'default' };
}

/**
 * Tokens × parameters as H100-hours: NV-Embed-v2 (7.85B) embeds ~26k tokens/s on one H100 (docs/scaling.md,
 * measured 35–38k, planned at 70 %), and time scales with parameters.
 */
export const H100_TOKENS_PER_SECOND_AT_7B85 = 26_000;
export function gpuHours(tokens: number, params: number): number {
  return (tokens * params) / (H100_TOKENS_PER_SECOND_AT_7B85 * 7_850_000_000 * 3600);
}
