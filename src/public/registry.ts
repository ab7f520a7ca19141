/** `mteb-ts/registry`: the bundled task registry and benchmarks, task files, and task-spec validation. */
export {
  loadRegistry,
  getTask,
  hasTask,
  listTasks,
  listBenchmarks,
  getBenchmark,
  benchmarkTaskSpecs,
  resolveTasks,
  loadTaskFile,
  validateTaskSpec,
  type BenchmarkSpec,
} from '../registry/index.js';
export type { TaskSpec, TaskType, Protocol } from '../task-types/spec.js';
