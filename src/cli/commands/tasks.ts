import { defineCommand } from '../command.js';
import type { TaskSpec } from '../../task-types/spec.js';
import { hfSubsets } from '../../task-types/spec.js';
import { listTasks, taskId } from '../../registry/index.js';
import { tasksSpec, type TasksArgs } from '../options/tasks.js';
import { terminalTable } from '../../util/terminal-table.js';

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

/** `mteb-ts tasks`: registry tasks (or a benchmark's) as a table or JSON. */
export async function tasks(args: TasksArgs): Promise<number> {
  const list = listTasks({ benchmark: args.benchmark, type: args.type });
  if (args.json || args.format === 'json') {
    process.stdout.write(JSON.stringify(list, null, 2) + '\n');
    return 0;
  }
  // Sized to the terminal: the columns after the task's name that do not fit are left out and named
  // (pipes and files get every column).
  const fitted = terminalTable(['task', 'type', 'split', 'subsets', 'main score', 'protocol', 'dataset'], taskRows(list), {
    width: process.stdout.isTTY ? process.stdout.columns : undefined,
    overflow: 'drop',
    align: ['left', 'left', 'left', 'left', 'left', 'left', 'left'],
  });
  process.stdout.write(fitted.text + '\n');
  if (fitted.dropped.length) process.stderr.write(`columns left out for the terminal width: ${fitted.dropped.join(', ')} (--format json has every field)\n`);
  process.stderr.write(`${list.length} task(s)\n`);
  return 0;
}

export const tasksCommand = defineCommand(tasksSpec, tasks);
