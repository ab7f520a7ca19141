import type { Comparison } from '../src/compare/types.js';
import type { GateVerdict } from '../src/gate/gate.js';
import { pyRound } from '../src/leaderboard/round.js';
import type { Leaderboard } from '../src/leaderboard/types.js';
import type { Reporter } from './reporter.js';

const r2 = (x: number | null | undefined) => (x === null || x === undefined ? null : pyRound(x, 2));

/**
 * `{"benchmark", "models": [{"model", "revision", "average", "categories", "tasks", "warnings", "unusable"}]}`, 0-100 scale.
 * Averages are rounded to 2 decimals as the leaderboard table shows them; task values are as scored
 * (2 decimals under MTEB(eng, v1) rules, unrounded under the current rules).
 */
export function leaderboardJson(lb: Leaderboard): string {
  const doc = {
    benchmark: lb.benchmark,
    mode: lb.mode,
    models: lb.models.map((m) => ({
      model: m.model,
      revision: m.revision,
      rank: m.rank,
      average: r2(m.average),
      ...(lb.mode === 'current' ? { typeAverage: r2(m.typeAverage), borda: m.borda ?? null } : {}),
      categories: Object.fromEntries(lb.categories.map((c) => [c, r2(m.categories[c])])),
      tasks: Object.fromEntries(lb.tasks.map((t) => [t.name, m.tasks[t.name]?.value ?? null])),
      sources: Object.fromEntries(lb.tasks.map((t) => [t.name, m.tasks[t.name]?.source?.layer ?? null])),
      layers: m.layers,
      warnings: m.warnings,
      // Result files a task needed but could not use, with the reason (docs/reliability.md, "Verdicts").
      unusable: (m.unusable ?? []).map((u) => ({ ...u })),
      ...(m.meta ? { meta: m.meta } : {}),
    })),
  };
  return JSON.stringify(doc, null, 2) + '\n';
}

export function comparisonJson(cmp: Comparison): string {
  return JSON.stringify(cmp, null, 2) + '\n';
}

export function gateJson(v: GateVerdict): string {
  const { comparison, ...verdict } = v;
  return JSON.stringify({ ...verdict, benchmark: comparison.benchmark, baseline: comparison.baseline.model, candidate: comparison.candidate.model, comparison }, null, 2) + '\n';
}

export const jsonReporter: Reporter = {
  name: 'json',
  extension: 'json',
  leaderboard: leaderboardJson,
  comparison: comparisonJson,
  gate: gateJson,
};
