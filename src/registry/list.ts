import { MtebError } from '../core/errors.js';
import { TASK_TYPES, type TaskSpec, type TaskType } from '../task-types/spec.js';
import { benchmarkTaskSpecs, getBenchmark } from './benchmarks.js';
import { loadRegistry } from './registry.js';

/** Registry tasks (or a benchmark's tasks, in benchmark order), optionally of one type (case-insensitive). */
export function listTasks(opts: { benchmark?: string; type?: string } = {}): TaskSpec[] {
  let tasks: TaskSpec[] = opts.benchmark ? benchmarkTaskSpecs(getBenchmark(opts.benchmark)) : loadRegistry();
  if (opts.type) {
    const t = TASK_TYPES.find((x) => x.toLowerCase() === opts.type!.toLowerCase());
    if (!t)
      throw new MtebError('E_USAGE', `unknown task type "${opts.type}" (one of ${TASK_TYPES.join(', ')})`, { field: 'type' });
    tasks = tasks.filter((s) => s.type === (t as TaskType));
  }
  return tasks;
}
