import Table from 'cli-table3';
import type { RunSummary } from './runner.js';
import { redact } from '../core/redact.js';
import { fmtPoints } from '../leaderboard/round.js';

const MAX_ERROR = 100;

/**
 * The end-of-run table: one row per task with its main score (x100, as leaderboards show it) or its error,
 * shortened here because the full error line was already printed on stderr when it happened.
 */
export function renderRunSummary(s: RunSummary): string {
  const t = new Table({ head: ['Task', 'Status', 'Main score', 'Seconds'], style: { head: [], border: [] } });
  for (const o of s.outcomes) {
    if (o.status === 'failed') {
      // Redacted before it is shortened, so a secret cannot leak in part across the cut.
      const full = redact(o.error);
      const e = full.length > MAX_ERROR ? `${full.slice(0, MAX_ERROR - 1)}…` : full;
      t.push([o.task, 'FAILED', e, o.seconds.toFixed(1)]);
    } else if (o.status === 'deferred') t.push([o.task, 'deferred', o.note, o.seconds.toFixed(1)]);
    else t.push([o.task, o.status, o.mainScore === null ? '-' : fmtPoints(o.mainScore), o.seconds.toFixed(1)]);
  }
  const count = (st: string) => s.outcomes.filter((o) => o.status === st).length;
  const parts = [`${count('done')} done`, `${count('skipped')} skipped`];
  if (count('deferred')) parts.push(`${count('deferred')} deferred`);
  parts.push(`${count('failed')} failed`);
  return redact(`${s.model} @ ${s.revision} -> ${s.outputDir}\n${t.toString()}\n${parts.join(', ')}`);
}

/** The same summary as one JSON object (`run --format json`): raw main scores (0-1), errors redacted. */
export function renderRunSummaryJson(s: RunSummary): string {
  const count = (st: string) => s.outcomes.filter((o) => o.status === st).length;
  return redact(
    JSON.stringify(
      {
        model: s.model,
        revision: s.revision,
        output_dir: s.outputDir,
        tasks: s.outcomes.map((o) =>
          o.status === 'failed'
            ? { task: o.task, status: 'failed', error_code: o.errorCode, error: o.error, seconds: o.seconds }
            : o.status === 'deferred'
              ? { task: o.task, status: 'deferred', note: o.note, seconds: o.seconds }
              : { task: o.task, status: o.status, main_score: o.mainScore, file: o.file, seconds: o.seconds },
        ),
        counts: { done: count('done'), skipped: count('skipped'), deferred: count('deferred'), failed: count('failed') },
      },
      null,
      2,
    ),
  );
}
