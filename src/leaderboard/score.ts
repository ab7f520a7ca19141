import path from 'node:path';
import { MtebError } from '../core/errors.js';
import { getMetric } from '../results/parse.js';
import type { ResultLayer } from '../results/discover.js';
import type { TaskResult } from '../results/types.js';
import type { ResultCache } from './load.js';
import { fmtPoints, pyRound } from './round.js';
import type { BenchmarkRules, TaskRule } from './rules.js';
import type { ErrorCode } from '../core/errors.js';
import type { Provenance, TaskScore, UnusableFile } from './types.js';

/** English subsets: a file holding none of these for an English task is flagged as such. */
const ENGLISH_SUBSET = /^(default|en|eng|en-en|english)$/i;

export function layerLabel(l: ResultLayer): string {
  const src = path.basename(path.resolve(l.source));
  return l.kind === 'revision' ? `${src}:${l.name.slice(0, 8)}` : `${src}:${l.name}`;
}

type FileEval =
  | { ok: true; raw: number; metric: string; warnings: string[] }
  | { ok: false; reason: string; code: ErrorCode; broken: boolean };

const gap = (reason: string): FileEval => ({ ok: false, reason, code: 'E_RESULTS', broken: false });

export function provenanceOf(result: TaskResult): Provenance {
  return { mtebVersion: result.mtebVersion, datasetRevision: result.datasetRevision, protocol: result.protocol ?? null, limit: result.limit ?? null };
}

function unusable(task: string, file: string, layer: ResultLayer, ev: Extract<FileEval, { ok: false }>): UnusableFile {
  return { task, file, layer: layerLabel(layer), code: ev.code, reason: ev.reason, broken: ev.broken };
}

function recordUnusable(out: TaskScore, u: UnusableFile): void {
  (out.unusable ??= []).push(u);
}

/** Which loading rules apply: mteb's (default) or the stricter pre-mteb-rules ones; see docs/reports.md. */
export interface RuleOptions {
  /** `--strict`: v1 Reranking needs `map` (no mteb >= 2 `map_at_1000`); CQADupstack per folder (see scoreAggregate). */
  strict?: boolean;
  /**
   * `--accept-split-mislabels`: a file holding only a split the benchmark lists as a stand-in (MSMARCO `test` for
   * `dev`) is used, with a warning. Off by default: mteb's loader (TaskResult.validate_and_filter_scores,
   * mteb/results/task_result.py) fills a missing eval split with NaN, so mteb leaves such a task blank.
   */
  acceptSplitMislabels?: boolean;
}

/** Scores one file by the rule; never throws for a bad file, the reason is returned instead. */
export function evalResult(rule: TaskRule, bench: BenchmarkRules, result: TaskResult | MtebError, opts: RuleOptions = {}): FileEval {
  if (result instanceof MtebError) return { ok: false, reason: result.message, code: result.code, broken: true };
  const warnings: string[] = [];
  let split = rule.split;
  let entries = result.splits[split];
  if (!entries) {
    const have = Object.keys(result.splits);
    const stand = bench.splitMislabels[rule.split] ?? [];
    if (have.length === 1 && stand.includes(have[0]) && !opts.acceptSplitMislabels) {
      return gap(
        `no split "${rule.split}" (has ${JSON.stringify(have)}); a "${have[0]}" split is not used as "${rule.split}" (mteb leaves the task blank; --accept-split-mislabels uses it)`,
      );
    }
    if (have.length === 1 && stand.includes(have[0])) {
      split = have[0];
      entries = result.splits[split];
      warnings.push(
        `split mislabel: file has only split "${split}", ${bench.name} uses "${rule.split}"; used the "${split}" values`,
      );
    } else {
      return gap(`no split "${rule.split}" (has ${JSON.stringify(have)})`);
    }
  }
  const values: number[] = [];
  let metricUsed = '';
  for (const subset of rule.subsets) {
    const entry = entries.find((e) => e.hfSubset === subset);
    if (!entry) {
      const have = entries.map((e) => e.hfSubset);
      const onlyForeign = have.length > 0 && !have.some((s) => ENGLISH_SUBSET.test(s));
      return gap(`no subset "${subset}" in split "${split}" (${onlyForeign ? 'holds only non-English subsets' : 'has'} ${JSON.stringify(have)})`);
    }
    let hit: { key: string; value: number } | undefined;
    // A NaN main score (what `run` writes for constant vectors) is no score: never fall back to another metric.
    if (rule.metric === 'main_score' && entry.nonFinite?.includes('main_score')) {
      return { ok: false, reason: `main_score is ${result.nonFiniteToken ?? 'null'} in split "${split}" subset "${subset}"`, code: 'E_BAD_VALUE', broken: true };
    }
    if (rule.metric === 'main_score') {
      hit = entry.mainScore !== undefined ? { key: 'main_score', value: entry.mainScore } : getMetric(entry.metrics, rule.mainScoreFallback ?? []);
    } else {
      hit = getMetric(entry.metrics, rule.metric);
      // Files written by mteb >= 2 store v1 reranking as retrieval over the candidates: `map_at_1000` (their
      // main_score) instead of `map`. mteb reads main_score whatever the version (TaskResult._get_score_fast).
      if (!hit && !opts.strict && rule.mteb2Metric) hit = getMetric(entry.metrics, rule.mteb2Metric);
    }
    if (!hit) {
      const wanted = rule.metric === 'main_score' ? ['main_score', ...(rule.mainScoreFallback ?? [])] : [...rule.metric, ...(!opts.strict && rule.mteb2Metric ? rule.mteb2Metric : [])];
      const bad = wanted.find((k) => entry.nonFinite?.includes(k));
      if (bad) return { ok: false, reason: `${bad} is ${result.nonFiniteToken ?? 'null'} in split "${split}" subset "${subset}"`, code: 'E_BAD_VALUE', broken: true };
      return gap(`no metric ${wanted.join('/')} in split "${split}" subset "${subset}"`);
    }
    values.push(hit.value);
    metricUsed = hit.key;
  }
  const raw = values.reduce((a, b) => a + b, 0) / values.length;
  return { ok: true, raw, metric: metricUsed, warnings };
}

export function toDisplay(raw: number, bench: BenchmarkRules): number {
  // The original leaderboard multiplied by 100 in float and then applied Python's round(v, 2).
  return bench.mode === 'classic' ? pyRound(raw * 100, 2) : raw * 100;
}

/** Values differing by more than this (0-100 scale) across sources are worth a warning. */
const DISAGREE = 1.0;

export interface ScoreContext {
  bench: BenchmarkRules;
  cache: ResultCache;
  /** Highest precedence first (the order of every task under --strict / --revision). */
  layers: ResultLayer[];
  /** The folders holding a task's file, highest precedence first (mteb's join_revisions order by default). */
  order: (task: string) => ResultLayer[];
  rules: RuleOptions;
  /** Notes from the files actually used (placeholder metrics); aggregated per model by the caller. */
  fileNotes: Map<string, string[]>;
}

/** Aggregates differing by less than this (0-1 scale) from a forum mean are that mean (6-decimal files). */
const AGG_EQ = 1e-5;
const short = (f: string) => f.replace(/^CQADupstack|Retrieval$/g, '');

/**
 * CQADupstackRetrieval by mteb's rule, with one named exception. mteb reads an aggregate's result file as it is
 * stored (ResultCache.load_results + TaskResult._get_score_fast, mteb/cache/result_cache.py and
 * mteb/results/task_result.py; the file itself is what AbsTaskAggregate wrote: the mean of the 12 forums), picked
 * among the model's folders by join_revisions (`ctx.order`). So: the first usable aggregate file in that order is
 * the score (a 12-forum mean beside it that disagrees is a warning). Exception: an aggregate equal to the mean of
 * the fewer-than-12 forum files beside it is a partial run and is refused, with a warning naming the file (mteb
 * would show it). With no usable aggregate file, each forum is taken by its own join order, across folders, and
 * the mean of the 12 is the score (mteb shows nothing then; we say which folders gave which forums).
 */
function scoreAggregate(rule: TaskRule, ctx: ScoreContext, out: TaskScore): TaskScore {
  if (ctx.rules.strict) return scoreAggregateStrict(rule, ctx, out);
  const forums = rule.aggregateOf ?? [];
  const forumRule = (name: string): TaskRule => ({ ...rule, name, aggregateOf: undefined });
  const evalIn = (layer: ResultLayer, f: string) => evalResult(forumRule(f), ctx.bench, ctx.cache.get(layer.files.get(f)!, f), ctx.rules);
  for (const layer of ctx.order(rule.name)) {
    const aggFile = layer.files.get(rule.name)!;
    const where = layerLabel(layer);
    const aggResult = ctx.cache.get(aggFile, rule.name);
    const agg = evalResult(rule, ctx.bench, aggResult, ctx.rules);
    if (!agg.ok) {
      recordUnusable(out, unusable(rule.name, aggFile, layer, agg));
      out.warnings.push(`${rule.name}: ${where}/${path.basename(aggFile)} unusable: ${agg.reason}`);
      continue;
    }
    const okForums = forums
      .filter((f) => layer.files.has(f))
      .map((f) => ({ f, ev: evalIn(layer, f) }))
      .filter((x) => x.ev.ok) as Array<{ f: string; ev: Extract<FileEval, { ok: true }> }>;
    const forumMean = okForums.length ? okForums.reduce((a, x) => a + x.ev.raw, 0) / okForums.length : null;
    if (forumMean !== null && okForums.length < forums.length && Math.abs(forumMean - agg.raw) <= AGG_EQ) {
      out.warnings.push(
        `${rule.name}: partial CQADupstack aggregate refused: ${where}/${path.basename(aggFile)} (${fmtPoints(agg.raw)}) equals the mean of only ${okForums.length} of 12 forums (${okForums.map((x) => short(x.f)).join(', ')})`,
      );
      continue;
    }
    if (forumMean !== null && okForums.length === forums.length && Math.abs(forumMean - agg.raw) > AGG_EQ) {
      out.warnings.push(
        `${rule.name}: aggregate file ${where} (${fmtPoints(agg.raw)}) does not match the mean of its 12 forum files (${fmtPoints(forumMean)}); used the aggregate file (mteb's rule)`,
      );
    }
    out.raw = agg.raw;
    out.value = toDisplay(agg.raw, ctx.bench);
    out.metric = agg.metric;
    out.source = { layer: where, file: aggFile };
    out.warnings.push(...agg.warnings.map((w) => `${rule.name}: ${w}`));
    if (!(aggResult instanceof MtebError)) out.provenance = provenanceOf(aggResult);
    return out;
  }
  // No usable aggregate file: the forum files, each by its own join order (first usable), across folders.
  const picked: Array<{ f: string; layer: ResultLayer; raw: number; metric: string }> = [];
  const missing: string[] = [];
  for (const f of forums) {
    let hit: (typeof picked)[number] | undefined;
    for (const layer of ctx.order(f)) {
      const ev = evalIn(layer, f);
      if (ev.ok) {
        hit = { f, layer, raw: ev.raw, metric: ev.metric };
        break;
      }
      recordUnusable(out, unusable(rule.name, layer.files.get(f)!, layer, ev));
      out.warnings.push(`${rule.name}: ${layerLabel(layer)}/${f}.json unusable: ${ev.reason}`);
    }
    if (hit) picked.push(hit);
    else missing.push(f);
  }
  if (missing.length) {
    if (picked.length) {
      out.warnings.push(`${rule.name}: no usable aggregate file and only ${picked.length} of 12 forum files usable (missing: ${missing.map(short).join(', ')}); the score is the mean of all 12`);
    }
    out.warnings.push(`${rule.name}: missing (no usable aggregate or complete set of 12 forum files)`);
    return out;
  }
  const raw = picked.reduce((a, x) => a + x.raw, 0) / forums.length;
  const from = [...new Set(picked.map((x) => x.layer))];
  if (from.length > 1) {
    out.warnings.push(
      `${rule.name}: no usable aggregate file; mean of the 12 forum files combined across folders: ${from
        .map((l) => `${layerLabel(l)} (${picked.filter((x) => x.layer === l).map((x) => short(x.f)).join(', ')})`)
        .join('; ')}`,
    );
  }
  out.raw = raw;
  out.value = toDisplay(raw, ctx.bench);
  out.metric = picked[0].metric;
  out.source = { layer: from.map(layerLabel).join('+'), file: path.join(from[0].dir, `${forums[0]} … ${forums[forums.length - 1]}`) };
  const first = ctx.cache.get(picked[0].layer.files.get(picked[0].f)!, picked[0].f);
  if (!(first instanceof MtebError)) out.provenance = provenanceOf(first);
  return out;
}

/** `--strict`: one folder at a time; 12 forum files of that folder, or an aggregate file with no forum beside it. */
function scoreAggregateStrict(rule: TaskRule, ctx: ScoreContext, out: TaskScore): TaskScore {
  const forums = rule.aggregateOf ?? [];
  const forumRule = (name: string): TaskRule => ({ ...rule, name, aggregateOf: undefined });
  for (const layer of ctx.layers) {
    const aggFile = layer.files.get(rule.name);
    const present = forums.filter((f) => layer.files.has(f));
    if (!aggFile && present.length === 0) continue;
    const where = layerLabel(layer);
    const forumEvals = present.map((f) => ({ f, ev: evalResult(forumRule(f), ctx.bench, ctx.cache.get(layer.files.get(f)!, f), ctx.rules) }));
    const okForums = forumEvals.filter((x) => x.ev.ok) as Array<{ f: string; ev: Extract<FileEval, { ok: true }> }>;
    const aggResult = aggFile ? ctx.cache.get(aggFile, rule.name) : undefined;
    const agg = aggFile ? evalResult(rule, ctx.bench, aggResult!, ctx.rules) : undefined;
    for (const x of forumEvals) {
      if (!x.ev.ok) {
        recordUnusable(out, unusable(rule.name, layer.files.get(x.f)!, layer, x.ev));
        out.warnings.push(`${rule.name}: ${where}/${x.f}.json unusable: ${x.ev.reason}`);
      }
    }
    if (agg && !agg.ok) recordUnusable(out, unusable(rule.name, aggFile!, layer, agg));
    const firstForum = okForums.length ? ctx.cache.get(layer.files.get(okForums[0].f)!, okForums[0].f) : undefined;
    if (okForums.length === forums.length) {
      const raw = okForums.reduce((a, x) => a + x.ev.raw, 0) / forums.length;
      if (agg?.ok && Math.abs(agg.raw - raw) > 1e-5) {
        out.warnings.push(
          `${rule.name}: aggregate file ${where} (${fmtPoints(agg.raw)}) does not match the mean of its 12 forum files (${fmtPoints(raw)}); used the forum mean`,
        );
      }
      out.raw = raw;
      out.value = toDisplay(raw, ctx.bench);
      out.metric = okForums[0].ev.metric;
      out.source = { layer: where, file: path.join(layer.dir, `${forums[0]} … ${forums[forums.length - 1]}`) };
      if (firstForum && !(firstForum instanceof MtebError)) out.provenance = provenanceOf(firstForum);
      return out;
    }
    if (present.length > 0) {
      const missing = forums.filter((f) => !okForums.some((x) => x.f === f)).map(short);
      if (agg?.ok && okForums.length > 0) {
        const partial = okForums.reduce((a, x) => a + x.ev.raw, 0) / okForums.length;
        if (Math.abs(partial - agg.raw) <= 1e-5) {
          out.warnings.push(
            `${rule.name}: partial CQADupstack aggregate refused: ${where}/${path.basename(aggFile!)} (${fmtPoints(agg.raw)}) equals the mean of only ${okForums.length} of 12 forums (${okForums.map((x) => short(x.f)).join(', ')})`,
          );
          continue;
        }
      }
      out.warnings.push(
        `${rule.name}: refused in ${where}: only ${okForums.length} of 12 forum files usable (missing: ${missing.join(', ')}); the score is the mean of all 12` +
          (agg?.ok ? `; aggregate file ${path.basename(aggFile!)} (${fmtPoints(agg.raw)}) ignored (--strict)` : ''),
      );
      continue;
    }
    if (agg?.ok) {
      out.raw = agg.raw;
      out.value = toDisplay(agg.raw, ctx.bench);
      out.metric = agg.metric;
      out.source = { layer: where, file: aggFile! };
      out.warnings.push(...agg.warnings.map((w) => `${rule.name}: ${w}`));
      if (aggResult && !(aggResult instanceof MtebError)) out.provenance = provenanceOf(aggResult);
      return out;
    }
    if (agg && !agg.ok) out.warnings.push(`${rule.name}: ${where}/${path.basename(aggFile!)} unusable: ${agg.reason}`);
  }
  if (out.value === null) out.warnings.push(`${rule.name}: missing (no usable aggregate or complete set of 12 forum files)`);
  return out;
}

/** First usable file in precedence order; unusable higher-precedence files and disagreeing lower ones are flagged. */
export function scoreTask(rule: TaskRule, ctx: ScoreContext): TaskScore {
  const out: TaskScore = { task: rule.name, category: rule.category, value: null, raw: null, warnings: [] };
  if (rule.aggregateOf) return scoreAggregate(rule, ctx, out);
  const candidates = ctx.order(rule.name);
  for (const layer of candidates) {
    const file = layer.files.get(rule.name)!;
    const result = ctx.cache.get(file, rule.name);
    const ev = evalResult(rule, ctx.bench, result, ctx.rules);
    if (!ev.ok) {
      out.warnings.push(`${rule.name}: ${layerLabel(layer)}/${path.basename(file)} unusable: ${ev.reason}`);
      recordUnusable(out, unusable(rule.name, file, layer, ev));
      continue;
    }
    const value = toDisplay(ev.raw, ctx.bench);
    if (out.value === null) {
      out.value = value;
      out.raw = ev.raw;
      out.metric = ev.metric;
      out.source = { layer: layerLabel(layer), file };
      out.warnings.push(...ev.warnings.map((w) => `${rule.name}: ${w}`));
      if (!(result instanceof MtebError)) {
        out.provenance = provenanceOf(result);
        if (result.notes.length) ctx.fileNotes.set(file, result.notes);
      }
    } else if (Math.abs(value - out.value) > DISAGREE) {
      out.warnings.push(
        `${rule.name}: sources disagree: ${layerLabel(layer)} gives ${pyRound(value, 2).toFixed(2)}, used ${pyRound(out.value, 2).toFixed(2)} from ${out.source!.layer}`,
      );
    }
  }
  if (out.value === null) {
    out.warnings.push(candidates.length ? `${rule.name}: missing (no usable result file)` : `${rule.name}: missing (no result file)`);
  }
  return out;
}
