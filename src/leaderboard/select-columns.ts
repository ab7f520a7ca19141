import { MtebError } from '../core/errors.js';
import { closeNames } from '../registry/suggest.js';
import type { Leaderboard } from './types.js';

export interface ColumnSelection {
  /** Task names to show (case-insensitive; comma-separated entries allowed). */
  tasks?: readonly string[];
  /** Task types (categories) to show: their average column and their tasks. */
  types?: readonly string[];
}

const split = (xs: readonly string[] | undefined) => (xs ?? []).flatMap((x) => x.split(',')).map((x) => x.trim()).filter(Boolean);

/** Each needle must name one of `names` (case-insensitive); one that names none is an error with the closest names. */
function resolve(needles: string[], names: readonly string[], what: string, field: string): Set<string> {
  const byLower = new Map(names.map((n) => [n.toLowerCase(), n]));
  const out = new Set<string>();
  for (const n of needles) {
    const hit = byLower.get(n.toLowerCase());
    if (hit) {
      out.add(hit);
      continue;
    }
    const near = closeNames(n, [...names]);
    const hint = near.length ? `did you mean ${near.map((x) => JSON.stringify(x)).join(', ')}?` : `choose from ${names.slice(0, 8).join(', ')}${names.length > 8 ? ', …' : ''}`;
    throw new MtebError('E_USAGE', `--${field} ${JSON.stringify(n)} is no ${what} of this benchmark; ${hint}`, { field });
  }
  return out;
}

/**
 * The columns a report shows: `--types` keeps those categories and their tasks, `--tasks` those tasks (both:
 * the union). Averages and ranks stay those over every task of the benchmark (`allTasks` says how many), so a
 * narrowed table never re-ranks models.
 */
export function selectColumns(lb: Leaderboard, sel: ColumnSelection): Leaderboard {
  const tasks = split(sel.tasks);
  const types = split(sel.types);
  if (!tasks.length && !types.length) return lb;
  const pickedTypes = resolve(types, lb.categories, 'task type', 'types');
  const pickedTasks = resolve(tasks, lb.tasks.map((t) => t.name), 'task', 'tasks');
  const keepTask = lb.tasks.filter((t) => pickedTasks.has(t.name) || pickedTypes.has(t.category));
  return {
    ...lb,
    tasks: keepTask,
    categories: lb.categories.filter((c) => pickedTypes.has(c)),
    allTasks: lb.allTasks ?? lb.tasks.length,
  };
}
