import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { MtebError } from '../core/errors.js';
import type { Protocol, TaskSpec, TaskType } from '../task-types/spec.js';
import { readJsonFile } from '../util/json-file.js';
import { REPO_ROOT, TASKS_DIR } from './paths.js';
import { getTask } from './registry.js';
import { loadTaskFile } from './task-file.js';
import { closeNames } from './suggest.js';

/** How a leaderboard turns result files into one number per task. */
export interface BenchmarkScoring {
  /** Split scored for every task unless overridden; absent = the task's first eval split. */
  split?: string;
  /** Task id -> split (MTEB(eng, v1): MSMARCO -> dev). */
  splitOverrides?: Record<string, string>;
  /** Task id -> hf_subsets that count (e.g. AmazonCounterfactual -> ["en"], not "en-ext"); absent = the task's hf_subsets. */
  subsets?: Record<string, string[]>;
  /** Score key read from each (split, subset) entry of the result file; default "main_score". */
  metric?: string;
  /** Task id -> score key. */
  metricOverrides?: Record<string, string>;
  /** Alternative scorings of the same tasks, merged over this one (e.g. "original-leaderboard"). */
  variants?: Record<string, Omit<BenchmarkScoring, 'variants'> & { description?: string }>;
}

export interface BenchmarkSpec {
  name: string;
  aliases?: string[];
  description: string;
  /** Registry ids (tasks/<type>/<id>.json), or names resolved through task_files. */
  tasks: string[];
  /** Task name -> task file relative to the repository root, for tasks outside the registry (demo). */
  task_files?: Record<string, string>;
  /**
   * Protocol every task of this benchmark is evaluated with, overriding the task's own (MTEB(eng, v2) scores
   * its tasks shared with v1, registered as 'mteb-1', the mteb 2.x way). Absent = each task's own protocol.
   */
  protocol?: Protocol;
  scoring: BenchmarkScoring;
}

/** One benchmark column, fully resolved: which result file, split, subsets and score key count. */
export interface BenchmarkTaskScoring {
  /** Registry id (or task name for file-based tasks). */
  id: string;
  /** Task name as written in result files (`<name>.json`). */
  name: string;
  type: TaskType;
  split: string;
  subsets: string[];
  metric: string;
  /** Revision the result must have been computed on (undefined for local datasets / aggregates). */
  dataset_revision?: string;
  /** For aggregates (CQADupstackRetrieval): the task ids whose scores are averaged. */
  aggregate_of?: string[];
}

let cache: BenchmarkSpec[] | null = null;

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Reads tasks/benchmarks.json (or `file`) and checks its shape; does not resolve the tasks. */
export function readBenchmarksFile(file: string = join(TASKS_DIR, 'benchmarks.json')): BenchmarkSpec[] {
  const { value } = readJsonFile(file);
  const fail = (field: string, msg: string): never => {
    throw new MtebError('E_TASK_SCHEMA', msg, { file, field });
  };
  if (!isObj(value) || !Array.isArray(value.benchmarks)) return fail('benchmarks', 'expected {"benchmarks": [...]}');
  const out: BenchmarkSpec[] = [];
  (value.benchmarks as unknown[]).forEach((b, i) => {
    const p = `benchmarks[${i}]`;
    if (!isObj(b)) return fail(p, 'expected an object');
    if (typeof b.name !== 'string' || !b.name) fail(`${p}.name`, 'expected a non-empty string');
    if (typeof b.description !== 'string') fail(`${p}.description`, 'expected a string');
    if (!Array.isArray(b.tasks) || !b.tasks.every((t) => typeof t === 'string' && t))
      fail(`${p}.tasks`, 'expected an array of task ids');
    if (b.aliases !== undefined && !(Array.isArray(b.aliases) && b.aliases.every((a) => typeof a === 'string')))
      fail(`${p}.aliases`, 'expected an array of strings');
    if (b.protocol !== undefined && b.protocol !== 'mteb-1' && b.protocol !== 'mteb-2')
      fail(`${p}.protocol`, `expected "mteb-1" or "mteb-2", got ${JSON.stringify(b.protocol)}`);
    if (!isObj(b.scoring)) fail(`${p}.scoring`, 'expected an object');
    const known = new Set(['split', 'splitOverrides', 'subsets', 'metric', 'metricOverrides', 'variants']);
    for (const k of Object.keys(b.scoring as object)) if (!known.has(k)) fail(`${p}.scoring.${k}`, 'unknown field');
    const tasks = new Set(b.tasks as string[]);
    const sc = b.scoring as Record<string, unknown>;
    for (const m of ['splitOverrides', 'subsets', 'metricOverrides'])
      if (isObj(sc[m]))
        for (const t of Object.keys(sc[m] as object))
          if (!tasks.has(t)) fail(`${p}.scoring.${m}.${t}`, `"${t}" is not one of this benchmark's tasks`);
    out.push(b as unknown as BenchmarkSpec);
  });
  return out;
}

export function listBenchmarks(): BenchmarkSpec[] {
  cache ??= readBenchmarksFile();
  return structuredClone(cache);
}

/** Benchmark by name or alias (exact, then case-insensitive); unknown names throw E_UNKNOWN_BENCHMARK with suggestions. */
export function getBenchmark(name: string): BenchmarkSpec {
  const all = listBenchmarks();
  const names = (b: BenchmarkSpec) => [b.name, ...(b.aliases ?? [])];
  const hit =
    all.find((b) => names(b).includes(name)) ??
    all.find((b) => names(b).some((n) => n.toLowerCase() === name.toLowerCase()));
  if (hit) return hit;
  const near = closeNames(name, all.flatMap(names));
  const list = all.map((b) => JSON.stringify(b.name)).join(', ');
  throw new MtebError(
    'E_UNKNOWN_BENCHMARK',
    `unknown benchmark "${name}"${near.length ? `; did you mean ${near.map((n) => JSON.stringify(n)).join(', ')}?` : ''} (known: ${list})`,
  );
}

/**
 * A task bundled as a task file by a benchmark (the `demo` tasks), by its name: what `run -t DemoSTS` means.
 * Undefined when no benchmark bundles a task of that name.
 */
export function bundledTask(name: string): TaskSpec | undefined {
  for (const b of listBenchmarks()) {
    const rel = b.task_files?.[name];
    if (!rel) continue;
    const file = join(REPO_ROOT, rel);
    if (existsSync(file)) return loadTaskFile(file);
  }
  return undefined;
}

/**
 * The TaskSpecs of a benchmark, in its order (registry entries, or task files for e.g. `demo`), with the
 * benchmark's `protocol` (when it sets one) replacing each task's own.
 */
export function benchmarkTaskSpecs(b: BenchmarkSpec): TaskSpec[] {
  return b.tasks.map((t) => {
    const rel = b.task_files?.[t];
    let spec: TaskSpec;
    if (!rel) spec = getTask(t);
    else {
      const file = join(REPO_ROOT, rel);
      if (!existsSync(file))
        throw new MtebError('E_FILE_MISSING', `task file of benchmark "${b.name}" not found`, { file, task: t });
      spec = loadTaskFile(file);
    }
    return b.protocol ? { ...spec, protocol: b.protocol } : spec;
  });
}

/**
 * Per task of the benchmark: the result file name, split, subsets and score key its leaderboard averages.
 * `variant` selects an alternative scoring from `scoring.variants` (e.g. "original-leaderboard").
 */
export function benchmarkScoring(b: BenchmarkSpec, variant?: string): BenchmarkTaskScoring[] {
  let sc: BenchmarkScoring = b.scoring;
  if (variant) {
    const v = b.scoring.variants?.[variant];
    if (!v)
      throw new MtebError(
        'E_USAGE',
        `benchmark "${b.name}" has no scoring variant "${variant}" (has: ${Object.keys(b.scoring.variants ?? {}).join(', ') || 'none'})`,
      );
    sc = {
      ...b.scoring,
      ...v,
      splitOverrides: { ...b.scoring.splitOverrides, ...v.splitOverrides },
      subsets: { ...b.scoring.subsets, ...v.subsets },
      metricOverrides: { ...b.scoring.metricOverrides, ...v.metricOverrides },
    };
  }
  const specs = benchmarkTaskSpecs(b);
  return b.tasks.map((id, i) => {
    const s = specs[i];
    return {
      id,
      name: s.name,
      type: s.type,
      split: sc.splitOverrides?.[id] ?? sc.split ?? s.eval_splits[0],
      subsets: sc.subsets?.[id] ?? (s.hf_subsets?.length ? s.hf_subsets : ['default']),
      metric: sc.metricOverrides?.[id] ?? sc.metric ?? 'main_score',
      dataset_revision: s.aggregate_of || s.source_dir ? undefined : s.dataset.revision,
      ...(s.aggregate_of ? { aggregate_of: [...s.aggregate_of] } : {}),
    };
  });
}
