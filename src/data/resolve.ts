import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { MtebError } from '../core/errors.js';
import type { DatasetRef } from './dataset-ref.js';
import { FolderSource, HfCacheSource, type DatasetSource } from './source.js';

/** File `mteb-ts download` writes into each dataset folder, recording what was fetched. */
export const DOWNLOAD_MARKER = '.mteb-ts-download.json';

export interface ResolveOptions {
  /** `--data-dir`: datasets as `<dataDir>/<org>/<name>/` (what `mteb-ts download` writes); default defaultDataDir(). */
  dataDir?: string;
  /** Environment for HF_HOME / HF_HUB_CACHE (default process.env). */
  env?: Record<string, string | undefined>;
  /** Skip the HF cache (tests). */
  noHfCache?: boolean;
}

export function hfHubCacheDir(env: Record<string, string | undefined> = process.env): string {
  if (env.HF_HUB_CACHE) return env.HF_HUB_CACHE;
  const home = env.HF_HOME ?? join(env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'huggingface');
  return join(home, 'hub');
}

/** Where `mteb-ts download` puts datasets and where runs look for them: $MTEB_TS_DATA_DIR, else ~/.cache/mteb-ts/datasets. */
export function defaultDataDir(env: Record<string, string | undefined> = process.env): string {
  return env.MTEB_TS_DATA_DIR || join(env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'mteb-ts', 'datasets');
}

function isHubId(p: string): boolean {
  return /^[A-Za-z0-9][\w.-]*\/[\w.-]+$/.test(p);
}

function readMarkerRevision(dir: string): string | undefined {
  try {
    const m = JSON.parse(readFileSync(join(dir, DOWNLOAD_MARKER), 'utf8'));
    return typeof m.revision === 'string' ? m.revision : undefined;
  } catch {
    return undefined;
  }
}

function isDir(p: string): boolean {
  return existsSync(p) && statSync(p).isDirectory();
}

/**
 * Finds a task's dataset on disk, in this order: (c) a local folder named by a task file (`dataset.path` relative
 * to the file, or absolute); (a) `<dataDir>/<org>/<name>/`; (b) the HF hub cache snapshot of the pinned revision.
 * When only another revision is present it is used and a warning says so (scores may then differ from mteb's).
 */
export function resolveDatasetSource(spec: DatasetRef, opts: ResolveOptions = {}): DatasetSource {
  const env = opts.env ?? process.env;
  const { path, revision } = spec.dataset;
  const looked: string[] = [];
  if (spec.aggregate_of?.length)
    throw new MtebError('E_USAGE', `aggregate task has no dataset; evaluate its parts (${spec.aggregate_of.length} tasks)`, { task: spec.name });

  // (c) local folder
  const localCandidate = isAbsolute(path) ? path : spec.source_dir ? resolve(spec.source_dir, path) : null;
  if (localCandidate && (isAbsolute(path) || !isHubId(path) || isDir(localCandidate))) {
    if (isDir(localCandidate)) return new FolderSource('local', localCandidate, localCandidate, revision);
    if (!isHubId(path))
      throw new MtebError('E_DATASET_NOT_FOUND', `dataset folder not found: ${localCandidate}`, { task: spec.name, field: 'dataset.path' });
    looked.push(localCandidate);
  }

  // (a) --data-dir
  const dataDir = opts.dataDir ?? defaultDataDir(env);
  if (dataDir) {
    const dir = resolve(dataDir, ...path.split('/'));
    looked.push(dir);
    if (isDir(dir)) {
      const got = readMarkerRevision(dir);
      // A copy of another revision loses to the exact pinned snapshot in the HF cache.
      if (revision && got && got !== revision && !opts.noHfCache && isHubId(path)) {
        const pinned = join(hfHubCacheDir(env), `datasets--${path.replace('/', '--')}`, 'snapshots', revision);
        if (isDir(pinned)) return new HfCacheSource(path, pinned, revision);
      }
      const warnings: string[] = [];
      if (revision && got && got !== revision)
        warnings.push(`${path}: ${dir} holds revision ${got}, the task pins ${revision}; scores may differ from mteb's`);
      if (revision && !got)
        warnings.push(`${path}: ${dir} has no ${DOWNLOAD_MARKER}, so its revision is unknown (the task pins ${revision})`);
      return new FolderSource('data-dir', path, dir, got ?? revision, warnings);
    }
  }

  // (b) HF cache
  if (!opts.noHfCache && isHubId(path)) {
    const repoDir = join(hfHubCacheDir(env), `datasets--${path.replace('/', '--')}`);
    const snaps = join(repoDir, 'snapshots');
    looked.push(revision ? join(snaps, revision) : snaps);
    if (isDir(snaps)) {
      if (revision && isDir(join(snaps, revision))) return new HfCacheSource(path, join(snaps, revision), revision);
      let main: string | undefined;
      try {
        main = readFileSync(join(repoDir, 'refs', 'main'), 'utf8').trim();
      } catch {
        /* no refs/main */
      }
      const present = readdirSync(snaps).filter((d) => isDir(join(snaps, d))).sort();
      const pick = main && present.includes(main) ? main : present[0];
      if (pick) {
        const warnings = revision
          ? [`${path}: pinned revision ${revision} is not in the HF cache; using ${pick} (present: ${present.join(', ')}); scores may differ from mteb's`]
          : [];
        return new HfCacheSource(path, join(snaps, pick), pick, warnings);
      }
    }
  }

  throw new MtebError(
    'E_DATASET_NOT_FOUND',
    `dataset ${path}${revision ? '@' + revision : ''} not found; looked in: ${looked.join(', ') || '(nowhere: no --data-dir and no hub id)'}. ` +
      `Fetch it with \`mteb-ts download --tasks ${spec.name}${dataDir ? ` --data-dir ${dataDir}` : ' --data-dir DIR'}\`.`,
    { task: spec.name, field: 'dataset.path' },
  );
}
