import Table from 'cli-table3';
import type { Argv } from 'yargs';
import type { CliCommand } from '../command.js';
import type { TaskSpec } from '../../core/task-spec.js';
import { hfSubsets } from '../../core/task-spec.js';
import { listTasks, taskId } from '../../registry/index.js';

/** One table row per task: the fields that decide what a run evaluates and which number it reports. */
export function taskRows(tasks: TaskSpec[]): string[][] {
  return tasks.map((t) => [
    taskId(t),
    t.type,
    t.eval_splits.join(','),
    hfSubsets(t).join(','),
    t.main_score,
    t.protocol ?? '',
    t.aggregate_of ? `aggregate of ${t.aggregate_of.length}` : `${t.dataset.path}${t.dataset.revision ? '@' + t.dataset.revision.slice(0, 8) : ''}`,
  ]);
}

export const tasksCommand: CliCommand = {
  command: 'tasks',
  describe: 'List registry tasks (or a benchmark\'s tasks) with splits, subsets, main score and dataset',
  builder: (y: Argv) =>
    y
      .option('benchmark', { alias: 'b', type: 'string', describe: 'only the tasks of this benchmark, e.g. "MTEB(eng, v1)"' })
      .option('type', { alias: 't', type: 'string', describe: 'only tasks of this type, e.g. Retrieval' })
      .option('json', { type: 'boolean', default: false, describe: 'print task entries as JSON (task-file field names)' }),
  handler: async (args) => {
    const tasks = listTasks({ benchmark: args.benchmark, type: args.type });
    if (args.json) {
      process.stdout.write(JSON.stringify(tasks, null, 2) + '\n');
      return 0;
    }
    const table = new Table({
      head: ['task', 'type', 'split', 'subsets', 'main score', 'protocol', 'dataset'],
      style: process.stdout.isTTY ? { compact: true } : { compact: true, head: [], border: [] },
    });
    table.push(...taskRows(tasks));
    process.stdout.write(table.toString() + '\n');
    process.stderr.write(`${tasks.length} task(s)\n`);
    return 0;
  },
};
