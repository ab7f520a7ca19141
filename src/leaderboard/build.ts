import { MtebError } from '../core/errors.js';
import { discoverLayers } from '../results/discover.js';
import { metaWarnings, readModelMeta } from '../results/model-meta.js';
import type { ResultLayer } from '../results/discover.js';
import { ResultCache, readPlans } from './load.js';
import { CATEGORIES, getBenchmarkRules } from './rules.js';
import type { BenchmarkRules, Category } from './rules.js';
import { layerLabel, scoreTask } from './score.js';
import { orderLayers, taskOrder } from './select.js';
import type { LayerOrderOptions, OrderedLayers } from './select.js';
import type { RuleOptions } from './score.js';
import type { Leaderboard, ModelRow, TaskScore } from './types.js';

export interface BuildOptions extends LayerOrderOptions, RuleOptions {
  benchmark: string | BenchmarkRules;
  /** Progress and the revision chosen per model (stderr in the CLI). */
  log?: (line: string) => void;
  /** Keep models with no scored task in `current` mode (compare/gate: a side whose files are all broken). */
  keepUnscored?: boolean;
}

function mean(xs: Array<number | null>): number | null {
  if (xs.length === 0 || xs.some((x) => x === null)) return null;
  return (xs as number[]).reduce((a, b) => a + b, 0) / xs.length;
}

/** Borda count as mteb >= 2 ranks models: per task average ranks, n - rank summed, missing tasks add nothing. */
function assignBorda(rows: ModelRow[], taskNames: string[]): void {
  const n = rows.length;
  for (const r of rows) r.borda = 0;
  for (const t of taskNames) {
    const withValue = rows.filter((r) => r.tasks[t]?.value !== null && r.tasks[t]?.value !== undefined);
    for (const r of withValue) {
      const v = r.tasks[t].value!;
      const greater = withValue.filter((o) => o.tasks[t].value! > v).length;
      const equal = withValue.filter((o) => o.tasks[t].value! === v).length;
      const rank = greater + (equal + 1) / 2;
      r.borda! += n - rank;
    }
  }
}

function buildRow(ordered: OrderedLayers, sources: string[], bench: BenchmarkRules, cache: ResultCache, opts: BuildOptions): ModelRow {
  const { model, layers } = ordered;
  let revision = ordered.revision;
  const fileNotes = new Map<string, string[]>();
  const order = (task: string) => taskOrder(task, ordered, sources, cache, opts);
  const rules: RuleOptions = { strict: opts.strict, acceptSplitMislabels: opts.acceptSplitMislabels };
  const ctx = { bench, cache, layers, order, rules, fileNotes };
  const tasks: Record<string, TaskScore> = {};
  for (const rule of bench.tasks) tasks[rule.name] = scoreTask(rule, ctx);
  const categories: Partial<Record<Category, number | null>> = {};
  const present = CATEGORIES.filter((c) => bench.tasks.some((t) => t.category === c));
  for (const c of present) categories[c] = mean(bench.tasks.filter((t) => t.category === c).map((t) => tasks[t.name].value));
  // Per-task "missing" lines stay on the task; the row lists them once in the "average blank" line.
  const warnings = Object.values(tasks).flatMap((t) => t.warnings.filter((w) => !/^[^:]+: missing \(/.test(w)));
  const missing = bench.tasks.filter((t) => tasks[t.name].value === null).map((t) => t.name);
  if (missing.length) {
    warnings.unshift(`average blank: ${missing.length} of ${bench.tasks.length} tasks missing (${missing.join(', ')})`);
  }
  const placeholder: string[] = [];
  for (const [file, notes] of fileNotes) {
    const name = file.split(/[\\/]/).slice(-1)[0].replace(/\.json$/, '');
    for (const note of notes) {
      if (note.startsWith('placeholder MRR')) {
        if (!placeholder.includes(name)) placeholder.push(name);
      } else warnings.push(`${name}: ${note}`);
    }
  }
  if (ordered.perTask) {
    // Revisions joined task by task: say which folder gave how many tasks; the row's revision is the main one.
    const used = new Map<string, number>();
    for (const t of Object.values(tasks)) {
      const l = layers.find((x) => x.kind === 'revision' && t.source && t.source.layer.split('+').includes(layerLabel(x)));
      if (l) used.set(l.name, (used.get(l.name) ?? 0) + 1);
    }
    const ranked = [...used].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    if (ranked.length) revision = ranked[0][0];
    if (ranked.length > 1) {
      warnings.push(`revisions joined task by task (mteb join_revisions): ${ranked.map(([n, c]) => `${n.slice(0, 8)} ${c} task(s)`).join(', ')}`);
    }
  }
  const revLayer = layers.find((l) => l.kind === 'revision' && l.name === revision) ?? layers.find((l) => l.kind === 'revision');
  let meta: ModelRow['meta'];
  if (revLayer) {
    try {
      meta = readModelMeta(revLayer.dir);
      warnings.push(...metaWarnings(meta, model, revLayer.name, layerLabel(revLayer)));
    } catch (e) {
      if (!(e instanceof MtebError)) throw e;
      warnings.push(`${layerLabel(revLayer)}/model_meta.json unusable: ${e.message}`);
    }
  }
  if (placeholder.length) {
    warnings.push(`placeholder MRR values (0) ignored in ${placeholder.length} model-card file(s): ${placeholder.join(', ')}`);
  }
  const unusable = bench.tasks.flatMap((t) => tasks[t.name].unusable ?? []);
  return {
    model,
    revision,
    layers: layers.map(layerLabel),
    unusable,
    average: mean(bench.tasks.map((t) => tasks[t.name].value)),
    typeAverage: mean(present.map((c) => categories[c] ?? null)),
    categories,
    tasks,
    rank: null,
    warnings,
    ...(meta ? { meta } : {}),
  };
}

/**
 * Scores every model found under `sources` by the benchmark's leaderboard rules. Earlier sources (and
 * `prefer` entries) take precedence file by file; nothing is silently fixed: each row carries its warnings.
 */
export function buildLeaderboard(sources: string[], opts: BuildOptions): Leaderboard {
  const bench = typeof opts.benchmark === 'string' ? getBenchmarkRules(opts.benchmark) : opts.benchmark;
  const log = opts.log ?? (() => {});
  const preferPaths = (opts.prefer ?? []).filter((p) => p !== 'external');
  const allSources = [...new Set([...preferPaths, ...sources])];
  const byModel = new Map<string, ResultLayer[]>();
  for (const s of allSources) {
    for (const l of discoverLayers(s)) {
      const list = byModel.get(l.model) ?? [];
      list.push(l);
      byModel.set(l.model, list);
    }
  }
  // --prefer folders overlay the models of the RESULTS arguments; they do not add models of their own.
  if (sources.length) {
    const main = new Set(sources.map((s) => s));
    for (const [model, layers] of byModel) {
      if (!layers.some((l) => main.has(l.source))) {
        byModel.delete(model);
        log(`${model}: only in --prefer folders; not listed`);
      }
    }
  }
  const rows: ModelRow[] = [];
  const plans = readPlans(bench);
  for (const [model, all] of byModel) {
    // A result file serves one model only: a cache per model keeps one model's parsed files in memory at a
    // time (the whole results repository's 16,000 parsed files would otherwise stay alive to the end).
    const cache = new ResultCache(plans);
    const ordered = orderLayers(model, all, allSources, bench, cache, opts);
    log(`${model}: ${ordered.notes.join('; ') || 'no revision folder'}; sources: ${ordered.layers.map(layerLabel).join(' > ')}`);
    rows.push(buildRow(ordered, allSources, bench, cache, opts));
  }
  // Broken files of every model, including models the ranking below leaves out.
  const unusable = rows.flatMap((r) => r.unusable ?? []);
  // mteb's leaderboard drops models with no score at all (both tables: a model without a single task of the
  // benchmark is no row); compare/gate keep them (keepUnscored) so a side whose files are all broken is named.
  for (let i = rows.length - 1; i >= 0; i--) {
    if (!opts.keepUnscored && bench.tasks.every((t) => rows[i].tasks[t.name]?.value === null || rows[i].tasks[t.name] === undefined)) {
      log(`${rows[i].model}: no task of ${bench.name} scored; left out of the ${bench.mode === 'current' ? 'ranking' : 'table'}`);
      rows.splice(i, 1);
    }
  }
  if (bench.mode === 'current') {
    // Borda counts ranked with rank(method="min"): equal counts share the best rank.
    assignBorda(rows, bench.tasks.map((t) => t.name));
    rows.sort((a, b) => b.borda! - a.borda! || a.model.localeCompare(b.model));
    rows.forEach((r, i) => {
      r.rank = i > 0 && rows[i - 1].borda === r.borda ? rows[i - 1].rank : i + 1;
    });
  } else {
    rows.sort((a, b) => {
      if (a.average === null || b.average === null) return a.average === null ? (b.average === null ? a.model.localeCompare(b.model) : 1) : -1;
      return b.average - a.average || a.model.localeCompare(b.model);
    });
  }
  if (bench.mode === 'classic') {
    rows.forEach((r, i) => {
      r.rank = r.average === null ? null : i + 1;
    });
  }
  return {
    benchmark: bench.name,
    mode: bench.mode,
    tasks: bench.tasks,
    categories: CATEGORIES.filter((c) => bench.tasks.some((t) => t.category === c)),
    models: rows,
    unusable,
  };
}
