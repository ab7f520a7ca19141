import Table from 'cli-table3';
import { defineCommand } from '../command.js';
import type { TaskSpec } from '../../task-types/spec.js';
import { hfSubsets } from '../../task-types/spec.js';
import { listTasks, taskId } from '../../registry/index.js';
import { tasksSpec, type TasksArgs } from '../options/tasks.js';
import { colorOn } from '../../util/color.js';

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
  const table = new Table({
    head: ['task', 'type', 'split', 'subsets', 'main score', 'protocol', 'dataset'],
    style: colorOn(process.stdout) ? { compact: true } : { compact: true, head: [], border: [] },
  });
  table.push(...taskRows(list));
  process.stdout.write(table.toString() + '\n');
  process.stderr.write(`${list.length} task(s)\n`);
  return 0;
}

export const tasksCommand = defineCommand(tasksSpec, tasks);
