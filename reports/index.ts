import { MtebError } from '../src/core/errors.js';
import type { Comparison } from '../src/compare/types.js';
import type { GateVerdict } from '../src/gate/gate.js';
import type { Leaderboard } from '../src/leaderboard/types.js';
import { htmlReporter } from './html.js';
import { jsonReporter } from './json.js';
import { junitReporter } from './junit.js';
import { githubSummaryReporter, markdownReporter } from './markdown.js';
import type { RenderOptions, ReportFormat, ReportKind, Reporter } from './reporter.js';
import { tableReporter } from './table.js';

export type { RenderOptions, ReportFormat, ReportKind, Reporter } from './reporter.js';

export const REPORTERS: readonly Reporter[] = [tableReporter, markdownReporter, htmlReporter, jsonReporter, junitReporter, githubSummaryReporter];

export function formatsFor(kind: ReportKind): ReportFormat[] {
  return REPORTERS.filter((r) => r[kind]).map((r) => r.name);
}

export function getReporter(format: string, kind: ReportKind): Reporter {
  const r = REPORTERS.find((x) => x.name === format);
  if (!r || !r[kind]) {
    throw new MtebError('E_USAGE', `format "${format}" cannot render a ${kind} (choose: ${formatsFor(kind).join(', ')})`, { field: 'format' });
  }
  return r;
}

export function renderReport(lb: Leaderboard, format: ReportFormat | string, opts?: RenderOptions): string {
  return getReporter(format, 'leaderboard').leaderboard!(lb, opts);
}

export function renderComparison(cmp: Comparison, format: ReportFormat | string, opts?: RenderOptions): string {
  return getReporter(format, 'comparison').comparison!(cmp, opts);
}

export function renderGate(v: GateVerdict, format: ReportFormat | string, opts?: RenderOptions): string {
  return getReporter(format, 'gate').gate!(v, opts);
}
