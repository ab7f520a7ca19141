/** Task registry (tasks/<type>/<id>.json), benchmarks (tasks/benchmarks.json), task files and `--tasks` resolution. */
export { loadRegistry, getTask, hasTask, readRegistryDir, type RegistryEntry } from './registry.js';
export {
  listBenchmarks,
  getBenchmark,
  benchmarkTaskSpecs,
  benchmarkScoring,
  readBenchmarksFile,
  type BenchmarkSpec,
  type BenchmarkScoring,
  type BenchmarkTaskScoring,
} from './benchmarks.js';
export { listTasks } from './list.js';
export { resolveTasks, expandAggregates, taskId } from './resolve.js';
export { loadTaskFile } from './task-file.js';
export { validateTaskSpec, taskSchemaIssues, type SchemaIssue } from '../task-types/validate.js';
export { closeNames } from './suggest.js';
export { REPO_ROOT, TASKS_DIR } from './paths.js';
