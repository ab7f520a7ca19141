import { existsSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Embedder, Role } from '../core/embedder.js';
import { MtebError, formatError, isMtebError } from '../core/errors.js';
import { evaluationIdentity, identityDiff, type EvaluationIdentity } from './identity.js';
import { brokenSidecars, newEvaluationId, sha256Text, sidecarMismatch } from '../output/unit.js';
import { hfSubsets, type TaskSpec } from '../task-types/spec.js';
import { adapterFor, taskType } from '../task-types/index.js';
import type { ItemScores, SklearnFlavour } from '../task-types/adapter.js';
import { sweepOrphanTemps, writeFileAtomic, writeJsonAtomic } from '../util/atomic-write.js';
import { pythonJson, parsePythonJson } from '../output/python-json.js';
import { silentProgress, type ProgressSink } from '../util/progress.js';
import { embedTexts, instructionFor } from './embed-texts.js';
import { assignShards, chunkShards } from '../shard/select-tasks.js';
import { assignmentRecord, writeShardLayout } from '../shard/layout.js';
import { buildModelMeta } from './model-meta.js';
import { aggregateResult } from './aggregate.js';
import { openDataset, type DatasetOptions } from './open-dataset.js';
import { predictionFiles, removePredictions, writePredictions, type TaskRankings } from '../output/predictions.js';
import {
  MTEB_TS_VERSION,
  PROTOCOL_MTEB_VERSION,
  itemsPath,
  modelNameAsPath,
  languagesFor,
  resultDir,
  resultPath,
  roundScores,
  type ResultFile,
  type SplitScoreEntry,
} from '../output/result-file.js';
import { safeJoin } from '../util/safe-path.js';
import { missingPairs, type OverwriteStrategy } from './overwrite-strategy.js';
import { mergeItems, mergeResults } from './merge-partial.js';

export interface RunOptions extends DatasetOptions {
  tasks: TaskSpec[];
  embedder: Embedder;
  outputDir: string;
  modelName?: string;
  modelRevision?: string;
  /** Same as overwriteStrategy 'always' (kept for callers of the earlier API). */
  overwrite?: boolean;
  /** What an existing result means for a task (src/run/overwrite-strategy.ts); default 'only-missing', mteb's. */
  overwriteStrategy?: OverwriteStrategy;
  limit?: number;
  batchSize?: number;
  search?: Record<string, unknown>;
  /** scikit-learn behaviour of the iterative ports (see EvalContext.sklearn); default 'modern'. */
  sklearn?: SklearnFlavour;
  progress?: ProgressSink;
  /** Warnings and per-task status lines (stderr in the CLI). */
  log?: (line: string) => void;
  /** `--shard i/n`: do only this part of the work (see docs/scaling.md); `merge` completes the results. */
  shard?: { index: number; count: number; chunkRows?: number };
  /**
   * `--save-predictions`: beside each retrieval / reranking result, the ranking it was scored on as TREC runs
   * (`<Task>.<split>[.<hf_subset>].trec`) and as mteb 2.x's `<Task>_predictions.json` (src/output/predictions.ts).
   * A finished result whose predictions are missing is re-scored to write them (unsharded runs and `merge`),
   * its result file kept; a task scored without this option loses predictions files left by an earlier scoring.
   */
  savePredictions?: boolean;
  /** Set by `merge`: split corpora are scored from the shards' per-chunk top-k lists (EvalContext.chunkLists). */
  chunkLists?: boolean;
}

/** Corpus rows per shard unit when a retrieval corpus is split across shards. */
export const DEFAULT_SHARD_CHUNK_ROWS = 500_000;

export function shardMarkerDir(outputDir: string, model: string, revision: string, task: string, split: string, subset: string): string {
  return safeJoin(outputDir, '.shards', ['model name', modelNameAsPath(model)], ['revision', revision], ['task', task], ['split/subset', `${split}__${subset}`]);
}

export type TaskOutcome =
  | { task: string; status: 'done' | 'skipped'; mainScore: number | null; file: string; seconds: number }
  | { task: string; status: 'failed'; error: string; errorCode: string; seconds: number }
  /** Under --shard: this shard did its part (or none); `merge` writes the result. */
  | { task: string; status: 'deferred'; note: string; seconds: number };

export interface RunSummary {
  model: string;
  revision: string;
  outputDir: string;
  outcomes: TaskOutcome[];
}

/** What an existing result file means for this run's task (see inspectExisting). */
type Existing =
  /** None, incomplete, unreadable or a --limit dry run with another limit: (re)compute. */
  | { kind: 'absent'; note?: string }
  | { kind: 'reuse'; mainScore: number | null; result: ResultFile; warning?: string }
  /** Same evaluation, some (split, hf_subset) pairs missing: what only-missing computes and merges. */
  | { kind: 'partial'; missing: string[]; result: ResultFile; warning?: string }
  /** Made by another evaluation (model settings, dataset revision, protocol, ...): refused without --overwrite. */
  | { kind: 'different'; diffs: string[]; fields: string[] }
  /** Same evaluation, but a sidecar does not belong to it (a kill during a rewrite): recomputed. */
  | { kind: 'broken'; why: string[] };

/**
 * Whether an existing result can stand for this run's task: complete, and made by the same evaluation (its
 * recorded `mteb_ts.identity` equals the one this run would record) with every sidecar it records intact.
 * Results that record no identity (mteb's own files, older mteb-ts) are compared on what they do record
 * (dataset_revision, protocol, limit) and reused with a warning (docs/reliability.md, "Results").
 */
function inspectExisting(file: string, spec: TaskSpec, identity: EvaluationIdentity): Existing {
  if (!existsSync(file)) return { kind: 'absent' };
  let r: ResultFile;
  try {
    r = parsePythonJson(readFileSync(file, 'utf8')) as ResultFile;
  } catch (e) {
    return { kind: 'absent', note: `the existing result cannot be read (${(e as Error).message}); recomputing` };
  }
  // A --limit dry run is disposable: any run with another limit replaces it.
  if (r.mteb_ts?.limit !== undefined && r.mteb_ts.limit !== identity.limit) return { kind: 'absent' };
  const missing = missingPairs(r.scores, spec.eval_splits, hfSubsets(spec));
  // Nothing of this task's selection in it: computed whole.
  if (missing.length === spec.eval_splits.length * hfSubsets(spec).length) return { kind: 'absent' };
  const first = r.scores[spec.eval_splits[0]]?.find((e) => e.hf_subset === hfSubsets(spec)[0]) ?? r.scores[spec.eval_splits[0]]?.[0];
  const mainScore = typeof first?.main_score === 'number' ? first.main_score : null;
  const recorded = r.mteb_ts?.identity;
  let warning: string | undefined;
  if (recorded) {
    const diffs = identityDiff(recorded, identity);
    // An incomplete result of another evaluation cannot be completed (mteb: "not mergeable"): computed whole.
    if (diffs.length && missing.length) return { kind: 'absent' };
    if (diffs.length) return { kind: 'different', diffs, fields: Object.keys(identity).filter((k) => recorded[k] !== identity[k]) };
  } else {
    const known: EvaluationIdentity = { dataset_revision: r.dataset_revision ?? null, limit: r.mteb_ts?.limit ?? null };
    if (r.mteb_ts) known.protocol = r.mteb_ts.protocol;
    const now = Object.fromEntries(Object.keys(known).map((k) => [k, identity[k]]));
    const diffs = identityDiff(known, now);
    if (diffs.length && missing.length) return { kind: 'absent' };
    if (diffs.length) return { kind: 'different', diffs, fields: Object.keys(known).filter((k) => known[k] !== now[k]) };
    warning = `the existing result records no evaluation identity (written by ${r.mteb_ts ? `mteb-ts ${r.mteb_ts.version}` : 'mteb'}): reused without checking the model and its settings; use --overwrite to recompute`;
  }
  const predictions = new Set(predictionFiles(file, spec).map((f) => path.basename(f)));
  const broken = brokenSidecars(r, file, (name) => predictions.has(name));
  // Per-item scores beside a result that records sidecars but not them belong to another scoring.
  const items = itemsPath(file);
  if (r.mteb_ts?.sidecars && existsSync(items) && !r.mteb_ts.sidecars[path.basename(items)]) broken.push(`${path.basename(items)} was not written with this result`);
  if (broken.length) return { kind: 'broken', why: broken };
  if (missing.length) return { kind: 'partial', missing, result: r, warning };
  return { kind: 'reuse', mainScore, result: r, warning };
}

/**
 * Why a re-scoring (done to write missing predictions) does not match the result file it would sit beside, or
 * null when every score key the two share is equal (both are rounded to 6 decimals the same way).
 */
function scoreMismatch(file: string, fresh: ResultFile): string | null {
  const old = parsePythonJson(readFileSync(file, 'utf8')) as ResultFile;
  for (const [split, entries] of Object.entries(fresh.scores)) {
    for (const entry of entries) {
      const prev = old.scores?.[split]?.find((e) => e.hf_subset === entry.hf_subset);
      if (!prev) return `the result file has no ${split}/${entry.hf_subset} scores`;
      for (const [k, v] of Object.entries(entry)) {
        if (typeof v !== 'number' || typeof prev[k] !== 'number') continue;
        const was = prev[k] as number;
        if (v !== was && !(Number.isNaN(v) && Number.isNaN(was))) return `${split}/${entry.hf_subset} ${k}: the file says ${prev[k]}, re-scoring gives ${v}`;
      }
    }
  }
  return null;
}

/** The dataset revision a scoring would record: openDataset's answer, or the pinned one when the data is not here. */
async function expectedDatasetRevision(spec: TaskSpec, opts: RunOptions): Promise<string> {
  if (spec.aggregate_of) return spec.dataset?.revision ?? 'no_revision_available';
  try {
    return (await openDataset(spec, opts)).revision ?? spec.dataset.revision ?? 'no_revision_available';
  } catch {
    return spec.dataset?.revision ?? 'no_revision_available';
  }
}

/**
 * The predictions files a reused result lacks: missing, or (when the result records its sidecars) not the ones it
 * records. Exported for `merge --save-predictions`.
 */
export function predictionsToWrite(file: string, spec: TaskSpec, result?: ResultFile): string[] {
  let r = result;
  if (!r) {
    try {
      r = parsePythonJson(readFileSync(file, 'utf8')) as ResultFile;
    } catch {
      return predictionFiles(file, spec);
    }
  }
  return predictionFiles(file, spec).filter((f) => {
    if (!existsSync(f)) return true;
    const why = sidecarMismatch(r!, f);
    return why !== null && why !== 'untracked';
  });
}

/**
 * The evaluation spine: for each task, each eval split and hf_subset, the task type's adapter loads the data,
 * embeds through the model and scores with the metric modules; results are written atomically in mteb's
 * layout. A failing task is reported and the run goes on; finished result files are never touched again
 * unless --overwrite.
 */
export async function runEvaluation(opts: RunOptions): Promise<RunSummary> {
  const embedder = opts.embedder;
  const model = opts.modelName ?? embedder.name;
  const revision = opts.modelRevision ?? embedder.revision ?? 'no_revision_available';
  const progress = opts.progress ?? silentProgress;
  const log = opts.log ?? (() => {});
  const batchSize = opts.batchSize ?? 32;
  const outcomes: TaskOutcome[] = [];

  // Kept when present: filling gaps in an mteb results folder must not replace mteb's own metadata.
  const metaFile = path.join(resultDir(opts.outputDir, model, revision), 'model_meta.json');
  // Temp files of a writer that was killed (their process is gone) are removed before anything is written.
  for (const f of sweepOrphanTemps(path.dirname(metaFile))) log(`removed ${path.basename(f)}, left by an interrupted write`);
  try {
    if (!existsSync(metaFile)) await writeJsonAtomic(metaFile, buildModelMeta(embedder, model, revision));
  } catch (e) {
    throw new MtebError('E_RESULTS', `cannot write results under ${opts.outputDir}: ${(e as Error).message}`, { file: metaFile });
  }

  const ordered = [...opts.tasks.filter((t) => !t.aggregate_of), ...opts.tasks.filter((t) => t.aggregate_of)];
  // One cost-balanced assignment for the whole run: the tasks this shard owns and who searches each corpus chunk.
  const assignment = opts.shard && assignShards(opts.tasks.filter((t) => !t.aggregate_of), opts.shard.count, opts.shard.chunkRows);
  const owned = assignment && new Set(assignment.shards[opts.shard!.index].tasks);
  if (opts.shard) {
    // Recorded before any work, so merge can refuse parts made under another split (src/shard/layout.ts).
    await writeShardLayout(opts.outputDir, {
      index: opts.shard.index,
      count: opts.shard.count,
      tasks: opts.tasks.filter((t) => !t.aggregate_of).map((t) => t.name),
      chunkRows: opts.shard.chunkRows ?? DEFAULT_SHARD_CHUNK_ROWS,
      model,
      revision,
      assignment: assignmentRecord(opts.tasks.filter((t) => !t.aggregate_of)),
    });
  }
  for (const [taskIndex, spec] of ordered.entries()) {
    const t0 = performance.now();
    progress.task?.(taskIndex + 1, ordered.length, spec.name);
    const file = resultPath(opts.outputDir, model, revision, spec.name);
    if (owned && (spec.aggregate_of || (!owned.has(spec.name) && !taskType(spec.type).splitsAcrossShards))) {
      outcomes.push({ task: spec.name, status: 'deferred', note: spec.aggregate_of ? 'aggregated by merge' : 'another shard\'s task', seconds: 0 });
      continue;
    }
    try {
      // Whether the task has rankings to save (retrieval, reranking); aggregates have none of their own.
      const ranks = !spec.aggregate_of && taskType(spec.type).producesRankings;
      const identity = evaluationIdentity({
        spec,
        embedder,
        datasetRevision: await expectedDatasetRevision(spec, opts),
        limit: opts.limit,
        search: spec.aggregate_of ? undefined : opts.search,
        sklearn: opts.sklearn,
      });
      const strategy: OverwriteStrategy = opts.overwrite ? 'always' : (opts.overwriteStrategy ?? 'only-missing');
      const existing: Existing = strategy === 'always' ? { kind: 'absent' } : inspectExisting(file, spec, identity);
      if (existing.kind === 'different')
        throw new MtebError(
          'E_RESULTS',
          `an existing result was made by another evaluation (${existing.diffs.join('; ')}); use --overwrite to replace it, or another --output`,
          { file, field: existing.fields.map((f) => `mteb_ts.identity.${f}`).join(',') },
        );
      // mteb's _check_cache: "never" and "only-cache" do not complete a result; "only-cache" evaluates nothing.
      if (existing.kind === 'partial' && (strategy === 'never' || strategy === 'only-cache'))
        throw new MtebError(
          'E_RESULTS',
          `--overwrite-strategy ${strategy}: the result exists but lacks ${existing.missing.join(', ')}; --overwrite-strategy only-missing computes them`,
          { file },
        );
      if (strategy === 'only-cache' && existing.kind !== 'reuse')
        throw new MtebError('E_RESULTS', '--overwrite-strategy only-cache: no complete result for this task in the output folder, and only-cache never evaluates', { file });
      // Only the missing pairs are computed where the result can take them: not for an aggregate (computed from
      // its parts), a shard's part, or a task with predictions files (mteb's <Task>_predictions.json is one file
      // for every split, so it is rewritten whole).
      const partial =
        existing.kind === 'partial' && !spec.aggregate_of && !opts.shard && !(ranks && (opts.savePredictions || predictionFiles(file, spec).some((f) => existsSync(f))))
          ? existing
          : undefined;
      if (existing.kind === 'partial') {
        if (existing.warning) log(`${spec.name}: warning: ${existing.warning}`);
        log(`${spec.name}: the result lacks ${existing.missing.join(', ')}; ${partial ? 'computing only those' : 'recomputing the task'}`);
      }
      if (existing.kind === 'broken') log(`${spec.name}: the existing result and its sidecars do not form one unit (${existing.why.join('; ')}); recomputing`);
      if (existing.kind === 'absent' && existing.note) log(`${spec.name}: ${existing.note}`);
      const prior = existing.kind === 'reuse' ? existing : undefined;
      if (prior?.warning) log(`${spec.name}: warning: ${prior.warning}`);
      // A finished result without its predictions is re-scored for them (embeddings come from the cache), unless
      // this is a shard (`merge --save-predictions` fills them in) or a --limit dry run (it would not match).
      const missingPredictions =
        prior && opts.savePredictions && ranks && !opts.shard && opts.limit === undefined ? predictionsToWrite(file, spec, prior.result) : [];
      if (prior && !missingPredictions.length) {
        outcomes.push({ task: spec.name, status: 'skipped', mainScore: prior.mainScore, file, seconds: 0 });
        log(`${spec.name}: result exists, skipped (use --overwrite to recompute)`);
        continue;
      }
      if (prior)
        log(`${spec.name}: result exists without ${missingPredictions.map((f) => path.basename(f)).join(', ')}; re-scoring to write the predictions (the result file is kept)`);
      let result: ResultFile;
      let items: Record<string, Record<string, { main_score: string; metrics: ItemScores }>> = {};
      let rankings: TaskRankings = {};
      if (spec.aggregate_of) {
        result = await aggregateResult(spec, opts.outputDir, model, revision);
      } else {
        const shardCtx = opts.shard && { ...opts.shard, owner: owned!.has(spec.name), model, revision, chunkShards: (of: number) => chunkShards(assignment!, spec.name, of) };
        const r = await evaluateTask(spec, { ...opts, embedder, batchSize, progress, log }, shardCtx, partial && new Set(partial.missing), { model, revision });
        if ('deferred' in r) {
          outcomes.push({ task: spec.name, status: 'deferred', note: r.deferred, seconds: (performance.now() - t0) / 1000 });
          log(`${spec.name}: ${r.deferred}`);
          if (opts.savePredictions && ranks)
            log(`${spec.name}: its predictions are written where it is scored: by its owner shard run with --save-predictions, or, for a corpus split across shards, by \`merge --save-predictions\``);
          continue;
        }
        ({ result, items, rankings } = r);
      }
      if (prior) {
        // Re-scored only for the predictions: they are written only if they belong to the result beside them.
        const why = scoreMismatch(file, result);
        if (why)
          throw new MtebError(
            'E_RESULTS',
            `re-scoring to write the missing predictions does not reproduce the existing result (${why}); predictions not written. Use --overwrite to recompute the result and its predictions together`,
            { file },
          );
        const digests: Record<string, string> = {};
        await writePredictions(file, spec, { name: model, revision }, rankings, digests);
        // A result that records its sidecars records these too (same scores, rewritten last, and only when a
        // digest is new: re-creating a deleted file byte for byte leaves the result untouched); mteb's own files
        // and older ones are left as they are.
        const recorded = prior.result.mteb_ts?.sidecars;
        if (recorded && Object.entries(digests).some(([k, v]) => recorded[k] !== v))
          await writeFileAtomic(file, pythonJson({ ...prior.result, mteb_ts: { ...prior.result.mteb_ts!, sidecars: { ...recorded, ...digests } } }));
        outcomes.push({ task: spec.name, status: 'skipped', mainScore: prior.mainScore, file, seconds: (performance.now() - t0) / 1000 });
        log(`${spec.name}: predictions written; result kept (${spec.main_score} = ${prior.mainScore})`);
        continue;
      }
      result.evaluation_time = result.evaluation_time || (performance.now() - t0) / 1000;
      const itemsFile = itemsPath(file);
      if (partial) {
        result = mergeResults(partial.result, result);
        items = mergeItems(itemsFile, Boolean(partial.result.mteb_ts?.sidecars?.[path.basename(itemsFile)]), items);
      }
      const evaluationId = newEvaluationId();
      const sidecars: Record<string, string> = {};
      // The sidecars first, the result last: the result file's existence marks the task as finished for resume,
      // and it records each sidecar's digest, so a kill in between leaves sidecars the old result disowns.
      if (Object.keys(items).length) {
        const text = JSON.stringify({ task_name: spec.name, format: 'mteb-ts.items/1', evaluation_id: evaluationId, splits: items }, null, 2) + '\n';
        await writeFileAtomic(itemsFile, text);
        sidecars[path.basename(itemsFile)] = sha256Text(text);
      } else if (existsSync(itemsFile)) await rm(itemsFile, { force: true });
      if (opts.savePredictions && ranks) await writePredictions(file, spec, { name: model, revision }, rankings, sidecars);
      else if (ranks) {
        // Predictions of an earlier scoring (e.g. a --limit run) would not describe this result.
        const stale = await removePredictions(file, spec);
        if (stale.length) log(`${spec.name}: removed predictions of an earlier scoring (${stale.map((f) => path.basename(f)).join(', ')}); use --save-predictions to write new ones`);
      }
      result.mteb_ts = {
        ...(result.mteb_ts ?? { version: MTEB_TS_VERSION, protocol: spec.protocol }),
        ...(opts.limit !== undefined ? { limit: opts.limit } : {}),
        evaluation_id: evaluationId,
        identity,
        sidecars,
      };
      progress.phase?.('writing the result');
      await writeFileAtomic(file, pythonJson(result));
      const firstSplit = result.scores[spec.eval_splits[0]];
      const main = (firstSplit?.find((e) => e.hf_subset === hfSubsets(spec)[0]) ?? firstSplit?.[0])?.main_score ?? null;
      if (typeof main === 'number' && Number.isNaN(main))
        log(`${spec.name}: warning: ${spec.main_score} is NaN (e.g. constant predictions or every item skipped), written as NaN as mteb writes it`);
      outcomes.push({ task: spec.name, status: 'done', mainScore: main, file, seconds: (performance.now() - t0) / 1000 });
      log(`${spec.name}: ${spec.main_score} = ${main}`);
    } catch (e) {
      // Unexpected errors keep one line too (the stack only with MTEB_TS_DEBUG=1), so the run goes on readably.
      const detail = process.env.MTEB_TS_DEBUG ? ((e as Error)?.stack ?? String(e)) : ((e as Error)?.message ?? String(e));
      const err = isMtebError(e) ? e.withTask(spec.name) : new MtebError('E_INTERNAL', detail, { task: spec.name });
      outcomes.push({ task: spec.name, status: 'failed', error: formatError(err), errorCode: err.code, seconds: (performance.now() - t0) / 1000 });
      log(formatError(err));
    } finally {
      // Embeddings computed for this task are persisted even when it failed, so a rerun never redoes them.
      await embedder.flush?.();
    }
  }
  progress.close?.();
  return { model, revision, outputDir: opts.outputDir, outcomes };
}

async function evaluateTask(
  spec: TaskSpec,
  opts: RunOptions & { embedder: Embedder; batchSize: number; progress: ProgressSink; log: (l: string) => void },
  shard?: { index: number; count: number; chunkRows?: number; owner: boolean; model: string; revision: string; chunkShards?: (of: number) => number[] },
  /** `split/subset` pairs to compute (only-missing); all of the spec's when absent. */
  only?: Set<string>,
  names?: { model: string; revision: string },
): Promise<
  { result: ResultFile; items: Record<string, Record<string, { main_score: string; metrics: ItemScores }>>; rankings: TaskRankings } | { deferred: string }
> {
  const adapter = adapterFor(spec.type);
  const { source, warnings, revision } = await openDataset(spec, opts);
  warnings.forEach((w) => opts.log(`${spec.name}: ${w}`));
  const scores: Record<string, SplitScoreEntry[]> = {};
  const items: Record<string, Record<string, { main_score: string; metrics: ItemScores }>> = {};
  const metadata: Record<string, unknown> = {};
  const rankings: TaskRankings = {};
  for (const split of spec.eval_splits) {
    scores[split] = [];
    for (const subset of hfSubsets(spec)) {
      if (only && !only.has(`${split}/${subset}`)) continue;
      opts.progress.phase?.(`${split}/${subset}: loading and scoring`);
      const embed = (texts: string[], role: Role, label?: string, progress?: ProgressSink) =>
        embedTexts(opts.embedder, texts, {
          role,
          instruction: instructionFor(spec, role, opts.embedder),
          batchSize: opts.batchSize,
          progress: progress ?? opts.progress,
          label: `${spec.name} ${split}/${subset} ${label ?? role}`,
        });
      const r = await adapter.evaluate({
        spec,
        split,
        subset,
        source,
        embedder: opts.embedder,
        embed,
        limit: opts.limit,
        progress: opts.progress,
        warn: (m) => opts.log(`${spec.name}: ${m}`),
        search: opts.search,
        sklearn: opts.sklearn ?? 'modern',
        shard: shard && {
          index: shard.index,
          count: shard.count,
          owner: shard.owner,
          chunkShards: shard.chunkShards,
          chunkRows: shard.chunkRows ?? DEFAULT_SHARD_CHUNK_ROWS,
          markerDir: shardMarkerDir(opts.outputDir, shard.model, shard.revision, spec.name, split, subset),
        },
        savePredictions: opts.savePredictions,
        chunkLists: opts.chunkLists && names ? { dir: shardMarkerDir(opts.outputDir, names.model, names.revision, spec.name, split, subset) } : undefined,
      });
      if (r.deferred) return { deferred: r.deferred };
      const main = r.scores[spec.main_score];
      if (typeof main !== 'number')
        throw new MtebError('E_INTERNAL', `task type ${spec.type} produced no "${spec.main_score}" score (main_score of ${spec.name})`);
      const entry = roundScores({ ...r.scores, main_score: main, hf_subset: subset, languages: languagesFor(spec, subset) }) as SplitScoreEntry;
      scores[split].push(entry);
      if (r.items) (items[split] ??= {})[subset] = { main_score: spec.main_score, metrics: r.items };
      if (r.metadata) metadata[`${split}/${subset}`] = r.metadata;
      if (r.ranking) (rankings[split] ??= {})[subset] = r.ranking;
    }
  }
  const protocol = spec.protocol;
  const result: ResultFile = {
    dataset_revision: revision ?? spec.dataset.revision ?? 'no_revision_available',
    task_name: spec.name,
    mteb_version: PROTOCOL_MTEB_VERSION[protocol],
    scores,
    evaluation_time: 0,
    kg_co2_emissions: null,
    mteb_ts: { version: MTEB_TS_VERSION, protocol, ...(Object.keys(metadata).length ? { metadata } : {}) },
  };
  return { result, items, rankings };
}
