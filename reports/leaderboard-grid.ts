import type { Leaderboard, ModelRow } from '../src/leaderboard/types.js';
import { whyMissing } from '../src/leaderboard/why-missing.js';
import { fmt, taskLabel } from './format.js';

/**
 * Up to this many models a leaderboard is printed as the original MTEB table was (tasks as rows, one column per
 * model); with more, models become rows (ranked, averages first), which stays readable with 300 models.
 */
export const MODELS_AS_COLUMNS_MAX = 4;

export const modelsAsRows = (lb: Leaderboard) => lb.models.length > MODELS_AS_COLUMNS_MAX;

/**
 * How many of the benchmark's tasks a row lacks (what blanks its average); 0 when complete. Counted over the
 * row's tasks (every task of the benchmark), not the columns shown.
 */
export const missingTasks = (m: ModelRow) => Object.values(m.tasks).filter((t) => t.value === null).length;

export interface Grid {
  head: string[];
  /** What each column is, so a renderer can style or align it without parsing labels. */
  kinds: Array<'rank' | 'model' | 'average' | 'missing' | 'category' | 'task'>;
  rows: string[][];
  /** Leading columns that identify a row and must survive a narrow terminal. */
  frozen: number;
}

/**
 * The models-as-rows table as plain strings (the table and Markdown reporters escape and draw it): rank, model,
 * average(s), the count of missing tasks when any model lacks some, then one column per task type, then per task.
 */
export function modelRowsGrid(lb: Leaderboard, label: (s: string) => string = (s) => s): Grid {
  const total = lb.allTasks ?? lb.tasks.length;
  const head: string[] = ['Rank', 'Model', `Average (${total})`];
  const kinds: Grid['kinds'] = ['rank', 'model', 'average'];
  const cols: Array<(m: ModelRow) => string> = [(m) => (m.rank === null ? '' : String(m.rank)), (m) => label(m.model), (m) => fmt(m.average)];
  if (lb.mode === 'current') {
    head.push('Mean (task type)', 'Borda');
    kinds.push('average', 'average');
    cols.push((m) => fmt(m.typeAverage), (m) => (m.borda === undefined ? '' : String(m.borda)));
  }
  if (lb.models.some((m) => missingTasks(m) > 0)) {
    head.push('Missing');
    kinds.push('missing');
    cols.push((m) => {
      const n = missingTasks(m);
      return n ? `${n} task${n === 1 ? '' : 's'}` : '';
    });
  }
  const frozen = head.length;
  for (const c of lb.categories) {
    const n = lb.tasks.filter((t) => t.category === c).length;
    head.push(`${label(c)} (${n})`);
    kinds.push('category');
    cols.push((m) => fmt(m.categories[c]));
  }
  for (const t of lb.tasks) {
    head.push(label(taskLabel(t)));
    kinds.push('task');
    cols.push((m) => fmt(m.tasks[t.name]?.value));
  }
  return { head, kinds, rows: lb.models.map((m) => cols.map((f) => f(m))), frozen };
}

/**
 * Why a model's average is blank, from what scoring already recorded: `short` for a table cell (the one task
 * and its file's reason, or how many tasks are missing), `full` for a tooltip (the reason or the task list).
 */
export function blankReason(m: ModelRow): { short: string; full: string } | null {
  if (m.average !== null) return null;
  const missing = Object.values(m.tasks).filter((t) => t.value === null);
  const total = Object.keys(m.tasks).length;
  if (missing.length === 1) {
    const why = whyMissing(missing[0]);
    return { short: `${missing[0].task}: ${why.short}`, full: why.detail };
  }
  return { short: `${missing.length} of ${total} tasks missing`, full: `missing: ${missing.map((t) => t.task).join(', ')}` };
}
