import { statSync } from 'node:fs';
import path from 'node:path';
import { MtebError } from '../core/errors.js';
import type { LayerKind, ResultLayer } from '../results/discover.js';
import type { ResultCache } from './load.js';
import type { BenchmarkRules } from './rules.js';

const KIND_RANK: Record<LayerKind, number> = { revision: 0, flat: 1, external: 2, no_revision_available: 3 };

export interface LayerOrderOptions {
  /**
   * Precedence overrides, highest first: a results path (its folders win over everything not preferred) or the
   * keyword `external` (model-card files win over revision folders). Default order: argument order, and within
   * one argument the chosen revision folder, then flat files, then `external`, then `no_revision_available`.
   */
  prefer?: string[];
  /** `REV` for every model, or `org/model=REV`; a prefix of the revision is enough. */
  revision?: string[];
  /**
   * `--strict`: the pre-mteb-rules behaviour: one revision folder per model (the newest complete one), instead of
   * mteb's task-by-task join of all revision folders (see `taskOrder`).
   */
  strict?: boolean;
}

export interface OrderedLayers {
  model: string;
  revision: string | null;
  layers: ResultLayer[];
  /** How the revision was chosen, for the user. */
  notes: string[];
  /**
   * Default rules with several revision folders: every folder stays in `layers` and each task orders them by
   * mteb's `BenchmarkResults.join_revisions` priority (`taskOrder`). False: `layers` is the order for every task.
   */
  perTask: boolean;
}

function compareVersions(a: string | null, b: string | null): number {
  const pa = (a ?? '').split(/[.-]/).map((x) => Number.parseInt(x, 10) || 0);
  const pb = (b ?? '').split(/[.-]/).map((x) => Number.parseInt(x, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d) return d;
  }
  return 0;
}

function coverage(layers: ResultLayer[], bench: BenchmarkRules): number {
  const has = (t: string) => layers.some((l) => l.files.has(t));
  return bench.tasks.filter((t) => has(t.name) || (t.aggregateOf?.every(has) ?? false)).length;
}

/** Newest = latest `date` stamp, then highest mteb_version, then folder mtime. */
function newestKey(layers: ResultLayer[], cache: ResultCache): [number, string | null, number] {
  let date = 0;
  let version: string | null = null;
  let mtime = 0;
  for (const l of layers) {
    mtime = Math.max(mtime, statSync(l.dir).mtimeMs);
    for (const [task, file] of l.files) {
      const r = cache.get(file, task);
      if (r instanceof MtebError) continue;
      if (r.date && r.date > date) date = r.date;
      if (r.mtebVersion && compareVersions(r.mtebVersion, version) > 0) version = r.mtebVersion;
    }
  }
  return [date, version, mtime];
}

function requestedRevision(model: string, revision: string[] | undefined): string | undefined {
  if (!revision?.length) return undefined;
  const specific = revision.find((r) => r.includes('=') && r.slice(0, r.indexOf('=')) === model);
  if (specific) return specific.slice(specific.indexOf('=') + 1);
  return revision.find((r) => !r.includes('='));
}

export function orderLayers(
  model: string,
  all: ResultLayer[],
  sources: string[],
  bench: BenchmarkRules,
  cache: ResultCache,
  opts: LayerOrderOptions,
): OrderedLayers {
  const notes: string[] = [];
  const revNames = [...new Set(all.filter((l) => l.kind === 'revision').map((l) => l.name))];
  let revision: string | null = null;
  const wanted = requestedRevision(model, opts.revision);
  if (wanted !== undefined) {
    const hits = revNames.filter((r) => r === wanted || r.startsWith(wanted));
    if (hits.length !== 1) {
      throw new MtebError(
        'E_USAGE',
        `${model}: --revision ${wanted} matches ${hits.length} revision folders (available: ${revNames.join(', ') || 'none'})`,
        { field: 'revision' },
      );
    }
    revision = hits[0];
    notes.push(`revision ${revision} (requested)`);
  } else if (revNames.length === 1) {
    revision = revNames[0];
    notes.push(`revision ${revision} (the only one)`);
  } else if (revNames.length > 1 && !opts.strict) {
    // mteb's rule (mteb/results/benchmark_results.py, BenchmarkResults.join_revisions, called by
    // Benchmark.get_score / BenchmarkResults.to_dataframe): revisions are merged task by task.
    notes.push(`revisions ${revNames.join(', ')} joined task by task (mteb join_revisions)`);
  } else if (revNames.length > 1) {
    const scored = revNames.map((name) => {
      const ls = all.filter((l) => l.kind === 'revision' && l.name === name);
      return { name, complete: coverage(ls, bench) === bench.tasks.length, key: newestKey(ls, cache) };
    });
    const pool = scored.some((s) => s.complete) ? scored.filter((s) => s.complete) : scored;
    pool.sort((a, b) => b.key[0] - a.key[0] || compareVersions(b.key[1], a.key[1]) || b.key[2] - a.key[2]);
    revision = pool[0].name;
    notes.push(
      `revision ${revision} (newest ${pool[0].complete ? 'complete' : 'of ' + revNames.length + ', none complete for ' + bench.name}; others ignored: ${revNames.filter((r) => r !== revision).join(', ')})`,
    );
  }
  const prefer = opts.prefer ?? [];
  const preferIndex = (l: ResultLayer) => {
    const i = prefer.findIndex((p) => (p === 'external' ? l.kind === 'external' : path.resolve(p) === path.resolve(l.source)));
    return i < 0 ? prefer.length : i;
  };
  const perTask = revision === null && revNames.length > 1;
  const layers = all
    .filter((l) => l.kind !== 'revision' || perTask || l.name === revision)
    .map((l, i) => ({ l, i }))
    .sort(
      (a, b) =>
        preferIndex(a.l) - preferIndex(b.l) ||
        sources.indexOf(a.l.source) - sources.indexOf(b.l.source) ||
        KIND_RANK[a.l.kind] - KIND_RANK[b.l.kind] ||
        a.i - b.i,
    )
    .map((x) => x.l);
  return { model, revision, layers, notes, perTask };
}

/**
 * mteb's per-task priority (mteb/results/benchmark_results.py, `BenchmarkResults.join_revisions`): among the
 * files of one task, +100 when the file records an `mteb_version`, +10 when its folder is a revision (not
 * `external` / `no_revision_available`); highest priority first, then highest `mteb_version`. mteb's +1000 for
 * the model's registered main revision needs mteb's model registry, which we do not have: `--revision` names a
 * folder instead. mteb leaves ties to pandas' sort order (folder glob order); ours: newer `date`, then folder
 * kind, then folder name. `--prefer` folders and the RESULTS argument order still come first.
 */
export function taskOrder(
  task: string,
  ordered: OrderedLayers,
  sources: string[],
  cache: ResultCache,
  opts: LayerOrderOptions,
): ResultLayer[] {
  if (!ordered.perTask) return ordered.layers.filter((l) => l.files.has(task));
  const prefer = opts.prefer ?? [];
  const preferIndex = (l: ResultLayer) => {
    const i = prefer.findIndex((p) => (p === 'external' ? l.kind === 'external' : path.resolve(p) === path.resolve(l.source)));
    return i < 0 ? prefer.length : i;
  };
  const keyed = ordered.layers
    .filter((l) => l.files.has(task))
    .map((l, i) => {
      const r = cache.get(l.files.get(task)!, task);
      const version = r instanceof MtebError ? null : r.mtebVersion;
      const date = r instanceof MtebError ? 0 : (r.date ?? 0);
      const priority = (version ? 100 : 0) + (l.kind === 'revision' || l.kind === 'flat' ? 10 : 0);
      return { l, i, version, date, priority };
    });
  keyed.sort(
    (a, b) =>
      preferIndex(a.l) - preferIndex(b.l) ||
      sources.indexOf(a.l.source) - sources.indexOf(b.l.source) ||
      b.priority - a.priority ||
      compareVersions(b.version, a.version) ||
      b.date - a.date ||
      KIND_RANK[a.l.kind] - KIND_RANK[b.l.kind] ||
      (a.l.name < b.l.name ? -1 : a.l.name > b.l.name ? 1 : 0) ||
      a.i - b.i,
  );
  return keyed.map((k) => k.l);
}
