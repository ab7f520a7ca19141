import path from 'node:path';
import { MtebError } from '../core/errors.js';
import type { Embedder } from '../core/embedder.js';
import { TASK_TYPES, type TaskSpec } from '../task-types/spec.js';
import { resolveTasks, getBenchmark, benchmarkTaskSpecs, getTask, taskId } from '../registry/index.js';
import { filterTaskSpecs, splitList } from '../registry/filter-tasks.js';
import { resolveEmbedder } from '../embedders/resolve.js';
import { validating } from '../embedders/validating-embedder.js';
import { wrapEmbedder } from '../core/wrap-embedder.js';
import { EmbeddingCache } from '../cache/index.js';

/**
 * Task selection shared by `run`, `demo` and `merge`: --tasks and/or --benchmark, optionally by --type, then
 * narrowed by --eval-splits / --subsets / --languages (src/registry/filter-tasks.ts).
 */
export function selectTasks(
  a: { tasks?: string[]; benchmark?: string; type?: string; evalSplits?: string[]; subsets?: string[]; languages?: string[] },
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
  return filterTaskSpecs(out, { evalSplits: splitList(a.evalSplits), subsets: splitList(a.subsets), languages: splitList(a.languages) }, warn);
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
