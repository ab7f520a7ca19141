import Table from 'cli-table3';
import type { RunSummary } from './runner.js';

/** The end-of-run table: one row per task with its main score (x100, as leaderboards show it) or its error. */
export function renderRunSummary(s: RunSummary): string {
  const t = new Table({ head: ['Task', 'Status', 'Main score', 'Seconds'], style: { head: [], border: [] } });
  for (const o of s.outcomes) {
    if (o.status === 'failed') t.push([o.task, 'FAILED', { content: o.error, hAlign: 'left' }, o.seconds.toFixed(1)]);
    else if (o.status === 'deferred') t.push([o.task, 'deferred', o.note, o.seconds.toFixed(1)]);
    else t.push([o.task, o.status, o.mainScore === null ? '-' : (o.mainScore * 100).toFixed(2), o.seconds.toFixed(1)]);
  }
  const failed = s.outcomes.filter((o) => o.status === 'failed').length;
  return `${s.model} @ ${s.revision} -> ${s.outputDir}\n${t.toString()}\n${s.outcomes.length - failed} tasks ok, ${failed} failed`;
}
