import type { CommandSpec } from '../command.js';
import type { ArgsOf, OptionTable } from '../option-table.js';

export const tasksOptions = {
  benchmark: { type: 'string', alias: 'b', describe: 'only the tasks of this benchmark, e.g. "MTEB(eng, v1)"' },
  type: { type: 'string', describe: 'only tasks of this type, e.g. Retrieval (any case)' },
  format: { type: 'string', alias: 'f', choices: ['table', 'json'], default: 'table', describe: 'a table, or task entries (task-file field names) as JSON' },
  json: { type: 'boolean', default: false, describe: 'same as --format json' },
} as const satisfies OptionTable;

export type TasksArgs = ArgsOf<typeof tasksOptions>;

export const tasksSpec: CommandSpec<typeof tasksOptions> = {
  command: 'tasks',
  describe: "List registry tasks (or a benchmark's tasks) with splits, subsets, main score and dataset",
  options: tasksOptions,
};
