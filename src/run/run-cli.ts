import path from 'node:path';
import { MtebError } from '../core/errors.js';
import type { Embedder } from '../core/embedder.js';
import { TASK_TYPES, type TaskSpec } from '../core/task-spec.js';
import { resolveTasks, getBenchmark, benchmarkTaskSpecs, getTask, taskId } from '../registry/index.js';
import { resolveEmbedder } from '../embedders/resolve.js';
import { validating } from '../embedders/validating-embedder.js';
import { wrapEmbedder } from '../embedders/wrap-embedder.js';
import { EmbeddingCache } from '../cache/index.js';
import { StderrProgress, silentProgress } from '../util/progress.js';
import { runEvaluation, type RunSummary } from './runner.js';
import { renderRunSummary } from './summary-table.js';
import { parseShard } from '../shard/select-tasks.js';
import { mergeShards } from '../shard/merge.js';
import { ENGINE_NAMES, type EngineName } from '../search/score-engine.js';
import { loadCblas } from '../search/blas/cblas.js';
import { redact } from '../util/redact.js';

export interface RunCliArgs {
  model: string;
  tasks?: string[];
  benchmark?: string;
  type?: string;
  output: string;
  dataDir?: string;
  hfHome?: string;
  modelName?: string;
  modelRevision?: string;
  overwrite?: boolean;
  limit?: number;
  batchSize?: number;
  device?: string;
  maxLength?: number;
  apiKeyEnv?: string;
  cacheDir?: string;
  search?: string;
  searchEngine?: string;
  blasLib?: string;
  hnswM?: number;
  hnswEfConstruction?: number;
  hnswEfSearch?: number;
  shard?: string;
  shardChunkRows?: number;
  sklearn?: 'modern' | '1.2';
  savePredictions?: boolean;
  quiet?: boolean;
}

/** Task selection shared by `run`, `demo` and `merge`: --tasks and/or --benchmark, optionally by --type. */
export function selectTasks(
  a: { tasks?: string[]; benchmark?: string; type?: string },
  cwd = process.cwd(),
  warn: (m: string) => void = () => {},
): TaskSpec[] {
  const specs: TaskSpec[] = [];
  if (a.benchmark) specs.push(...benchmarkTaskSpecs(getBenchmark(a.benchmark)));
  if (a.tasks?.length) specs.push(...resolveTasks(a.tasks, { cwd }));
  if (!a.benchmark && !a.tasks?.length) throw new MtebError('E_USAGE', 'name tasks with --tasks or a benchmark with --benchmark');
  // An aggregate (CQADupstackRetrieval) brings its part tasks; the runner scores it after them.
  const withParts = specs.flatMap((s) => (s.aggregate_of?.length ? [...s.aggregate_of.map((id) => ({ ...getTask(id), ...(s.protocol ? { protocol: s.protocol } : {}) })), s] : [s]));
  // Task types match case-insensitively (`--type sts`); an unknown type is refused with the list, never a no-op.
  let type: string | undefined;
  if (a.type !== undefined) {
    type = TASK_TYPES.find((t) => t.toLowerCase() === String(a.type).toLowerCase());
    if (!type) throw new MtebError('E_USAGE', `--type "${a.type}" is not a task type (${TASK_TYPES.join(', ')})`, { field: 'type' });
  }
  const seen = new Map<string, TaskSpec>();
  const out: TaskSpec[] = [];
  for (const s of withParts) {
    if (type && s.type !== type) continue;
    const prev = seen.get(s.name);
    if (prev) {
      // Results are files named after the task: two variants of one name (AskUbuntuDupQuestions and @v2) cannot
      // both be written into one output folder.
      if (taskId(prev) !== taskId(s)) warn(`${taskId(s)}: same result name as ${taskId(prev)}; only the first is run (use another --output for the other)`);
      continue;
    }
    seen.set(s.name, s);
    out.push(s);
  }
  // A selection that evaluates nothing must not pass a CI job: say what the selection held instead.
  if (!out.length) {
    const held = [...new Set(withParts.map((s) => s.type))].sort();
    throw new MtebError('E_USAGE', `the selection matches no task: --type ${type} is not among its task types (${held.join(', ')})`, { field: 'type' });
  }
  return out;
}

/** Options that would make a run loop forever or silently do nothing are refused before any model loads. */
export function validateRunArgs(a: RunCliArgs): void {
  const positiveInt = (name: string, v: number | undefined) => {
    if (v !== undefined && !(Number.isInteger(v) && v > 0)) throw new MtebError('E_USAGE', `--${name} must be a positive integer, got ${v}`, { field: name });
  };
  positiveInt('limit', a.limit);
  positiveInt('batch-size', a.batchSize);
  positiveInt('shard-chunk-rows', a.shardChunkRows);
  positiveInt('hnsw-m', a.hnswM);
  positiveInt('hnsw-ef-construction', a.hnswEfConstruction);
  positiveInt('hnsw-ef-search', a.hnswEfSearch);
  positiveInt('max-length', a.maxLength);
  if (a.searchEngine !== undefined && !(ENGINE_NAMES as readonly string[]).includes(a.searchEngine))
    throw new MtebError('E_USAGE', `--search-engine must be one of ${ENGINE_NAMES.join(', ')}, got ${a.searchEngine}`, { field: 'search-engine' });
  if (a.shard && a.cacheDir === 'none')
    throw new MtebError('E_USAGE', '--shard needs a shared embedding cache (--cache-dir on storage every shard and merge can reach); "none" would throw the shards\' work away');
  for (const [name, v] of [['model-name', a.modelName], ['model-revision', a.modelRevision]] as const) {
    if (v !== undefined && (v.includes('..') || v.startsWith('/') || (name === 'model-revision' && v.includes('/'))))
      throw new MtebError('E_USAGE', `--${name} "${v}" would place results outside the output folder`, { field: name });
  }
}

/** The --search* options as the runner's search config (undefined fields = the backend's defaults). */
export function searchConfig(a: RunCliArgs) {
  return {
    backend: a.search ?? 'exact',
    engine: a.searchEngine as EngineName | undefined,
    blasLibrary: a.blasLib,
    M: a.hnswM,
    efConstruction: a.hnswEfConstruction,
    efSearch: a.hnswEfSearch,
  };
}

/** Model spec -> validated (and, unless disabled, cached) embedder. */
export async function openModel(
  spec: string,
  a: { device?: string; maxLength?: number; cacheDir?: string; apiKeyEnv?: string; modelRevision?: string },
): Promise<{ embedder: Embedder; cache?: EmbeddingCache }> {
  const resolved = await resolveEmbedder(spec, { device: a.device, maxLength: a.maxLength, apiKeyEnv: a.apiKeyEnv });
  // --model-revision names another checkpoint: the cache must not answer with the previous one's vectors.
  const base = a.modelRevision ? wrapEmbedder(resolved, { fingerprint: `${resolved.fingerprint ?? `${resolved.name}@${resolved.revision}`}#rev=${a.modelRevision}` }) : resolved;
  if (a.cacheDir === 'none') return { embedder: validating(base) };
  const cache = new EmbeddingCache(path.resolve(a.cacheDir ?? '.mteb-ts-cache'));
  return { embedder: validating(cache.wrap(base)), cache };
}

/** `--search-engine blas` without a loadable library would fail every retrieval task: refuse it up front. */
export function checkSearchEngine(a: RunCliArgs): void {
  if (a.searchEngine === 'blas') loadCblas(a.blasLib);
}

export async function runFromCli(a: RunCliArgs): Promise<number> {
  validateRunArgs(a);
  checkSearchEngine(a);
  const tasks = selectTasks(a, process.cwd(), (m) => process.stderr.write(`warning: ${redact(m)}\n`));
  const shard = a.shard ? { ...parseShard(a.shard), chunkRows: a.shardChunkRows } : undefined;
  const { embedder } = await openModel(a.model, a);
  const progress = a.quiet ? silentProgress : new StderrProgress();
  let summary: RunSummary;
  try {
    summary = await runEvaluation({
      tasks,
      embedder,
      outputDir: path.resolve(a.output),
      modelName: a.modelName,
      modelRevision: a.modelRevision,
      overwrite: a.overwrite,
      limit: a.limit,
      batchSize: a.batchSize,
      dataDir: a.dataDir,
      hfHome: a.hfHome,
      search: searchConfig(a),
      sklearn: a.sklearn,
      progress,
      log: (l) => process.stderr.write(redact(l) + '\n'),
      shard,
      savePredictions: a.savePredictions,
    });
  } finally {
    await embedder.close?.();
  }
  process.stdout.write(renderRunSummary(summary) + '\n');
  return summary.outcomes.some((o) => o.status === 'failed') ? 1 : 0;
}

/** `mteb-ts merge`: the same selection and model as the shards, then score what they left to the merge. */
export async function mergeFromCli(a: RunCliArgs & { shards: number }): Promise<number> {
  validateRunArgs(a);
  checkSearchEngine(a);
  if (!(Number.isInteger(a.shards) && a.shards > 0)) throw new MtebError('E_USAGE', `--shards must be a positive integer, got ${a.shards}`, { field: 'shards' });
  const tasks = selectTasks(a, process.cwd(), (m) => process.stderr.write(`warning: ${redact(m)}\n`));
  const { embedder } = await openModel(a.model, a);
  try {
    const summary = await mergeShards({
      tasks,
      embedder,
      count: a.shards,
      outputDir: path.resolve(a.output),
      modelName: a.modelName,
      modelRevision: a.modelRevision,
      batchSize: a.batchSize,
      dataDir: a.dataDir,
      hfHome: a.hfHome,
      search: searchConfig(a),
      sklearn: a.sklearn,
      progress: a.quiet ? silentProgress : new StderrProgress(),
      log: (l) => process.stderr.write(redact(l) + '\n'),
      savePredictions: a.savePredictions,
    });
    process.stdout.write(`merged: ${summary.plan.complete.length} results present, ${summary.plan.toScore.length} split tasks scored, ${summary.plan.aggregates.length} aggregates\n`);
    process.stdout.write(renderRunSummary(summary) + '\n');
    return summary.outcomes.some((o) => o.status === 'failed') ? 1 : 0;
  } finally {
    await embedder.close?.();
  }
}
