import { createWriteStream, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { MtebError } from '../core/errors.js';
import type { DatasetRef } from './dataset-ref.js';
import { DOWNLOAD_MARKER, defaultDataDir } from './resolve.js';
import { allDataFiles, isMtebLayoutError, selectFiles, type FileGroup, type RepoListing } from './select-files.js';

export interface DownloadOptions {
  /** Root of `<dataDir>/<org>/<name>/`; default defaultDataDir(). */
  dataDir?: string;
  /** Hub endpoint; default $HF_ENDPOINT or https://huggingface.co. */
  endpoint?: string;
  /** Access token; default $HF_TOKEN. */
  token?: string;
  /** Download every file of the repo, not only the splits the task evaluates. */
  allFiles?: boolean;
  /**
   * The file groups the task's loaders open, found in the repo listing (its task type's `dataFiles`, see
   * src/task-types/download.ts); without it every data file is downloaded.
   */
  dataFiles?: (listing: RepoListing) => FileGroup[];
  /** Progress lines (default: stderr). */
  log?: (line: string) => void;
  env?: Record<string, string | undefined>;
  /** fetch to use (tests, proxies). */
  fetch?: typeof fetch;
}

export interface DownloadResult {
  repo: string;
  revision: string;
  dir: string;
  files: { path: string; size: number; skipped: boolean }[];
  bytes: number;
  warnings: string[];
}

function hubError(e: unknown, what: string, repo: string, task: string): MtebError {
  if (e instanceof MtebError) return e;
  const err = e as { statusCode?: number; message?: string; cause?: { code?: string } };
  if (err?.statusCode === 404 || err?.statusCode === 401)
    return new MtebError('E_DATASET_NOT_FOUND', `${what}: ${repo} not found on the hub (HTTP ${err.statusCode}${err.statusCode === 401 ? '; gated or private? set HF_TOKEN' : ''})`, { task }, { cause: e });
  return new MtebError('E_NETWORK', `${what} ${repo}: ${err?.message ?? String(e)}${err?.cause?.code ? ` (${err.cause.code})` : ''}`, { task }, { cause: e });
}

/**
 * Fetches the pinned revision of a task's dataset into `<dataDir>/<org>/<name>/` with the hub's own file names,
 * only the files its splits need (`dataFiles`) unless `allFiles`. Each file is written to `<file>.part` then renamed, so an
 * interrupted download never leaves a truncated file; files already present with the hub's size are skipped.
 * A `.mteb-ts-download.json` marker records repo, revision and files (resolveDatasetSource checks the revision).
 */
export async function downloadDataset(spec: DatasetRef, opts: DownloadOptions = {}): Promise<DownloadResult> {
  // @huggingface/hub loads only when something is downloaded, not with the package or the CLI.
  const { downloadFile, listFiles } = await import('@huggingface/hub');
  const env = opts.env ?? process.env;
  const log = opts.log ?? ((l: string) => process.stderr.write(l + '\n'));
  const repoName = spec.dataset.path;
  if (spec.aggregate_of?.length) throw new MtebError('E_USAGE', 'aggregate task: download its parts', { task: spec.name });
  if (spec.source_dir && !/^[\w.-]+\/[\w.-]+$/.test(repoName))
    throw new MtebError('E_USAGE', `dataset.path "${repoName}" is a local folder, nothing to download`, { task: spec.name });
  const revision = spec.dataset.revision ?? 'main';
  const hubUrl = (opts.endpoint ?? env.HF_ENDPOINT ?? 'https://huggingface.co').replace(/\/+$/, '');
  const accessToken = opts.token ?? env.HF_TOKEN;
  const repo = { type: 'dataset' as const, name: repoName };
  const common = { repo, revision, hubUrl, ...(accessToken ? { accessToken } : {}), ...(opts.fetch ? { fetch: opts.fetch } : {}) };
  const dir = resolve(opts.dataDir ?? defaultDataDir(env), ...repoName.split('/'));
  const warnings: string[] = [];

  const listing: { path: string; size: number }[] = [];
  try {
    for await (const f of listFiles({ ...common, recursive: true })) if (f.type === 'file') listing.push({ path: f.path, size: f.size });
  } catch (e) {
    throw hubError(e, 'listing files of', `${repoName}@${revision}`, spec.name);
  }
  const sizes = new Map(listing.map((f) => [f.path, f.size]));

  // Same-size files are reused only when they came from this revision.
  let sameRevision = false;
  try {
    sameRevision = JSON.parse(readFileSync(join(dir, DOWNLOAD_MARKER), 'utf8')).revision === revision;
  } catch {
    /* no marker yet */
  }
  const files: DownloadResult['files'] = [];
  let bytes = 0;
  const fetchOne = async (path: string, label: string) => {
    const size = sizes.get(path) ?? -1;
    const dest = join(dir, ...path.split('/'));
    if (sameRevision && existsSync(dest) && statSync(dest).size === size) {
      files.push({ path, size, skipped: true });
      return;
    }
    log(`${label} ${repoName}@${revision.slice(0, 8)} ${path} (${(size / 1e6).toFixed(1)} MB)`);
    mkdirSync(dirname(dest), { recursive: true });
    const part = dest + '.part';
    try {
      const blob = await downloadFile({ ...common, path });
      if (!blob) throw new MtebError('E_FILE_MISSING', `${path} listed but not downloadable at ${revision}`, { task: spec.name, file: path });
      await pipeline(Readable.fromWeb(blob.stream() as any), createWriteStream(part));
      const got = statSync(part).size;
      if (size >= 0 && got !== size) throw new MtebError('E_NETWORK', `${path}: got ${got} bytes, the hub lists ${size}`, { task: spec.name, file: path });
      renameSync(part, dest);
    } catch (e) {
      rmSync(part, { force: true });
      throw hubError(e, `downloading ${path} of`, `${repoName}@${revision}`, spec.name);
    }
    bytes += size;
    files.push({ path, size, skipped: false });
  };

  // The dataset card's `configs:` block decides which files hold which split, so it comes first.
  let card: string | undefined;
  if (sizes.has('README.md')) {
    await fetchOne('README.md', '[card]');
    card = readFileSync(join(dir, 'README.md'), 'utf8');
  }
  let wanted: string[];
  if (opts.allFiles || !opts.dataFiles) wanted = allDataFiles([...sizes.keys()]);
  else {
    try {
      wanted = selectFiles(spec, [...sizes.keys()], card, opts.dataFiles);
    } catch (e) {
      if (!isMtebLayoutError(e)) throw e;
      wanted = allDataFiles([...sizes.keys()]);
      warnings.push(`${repoName}: ${(e as Error).message}; downloading all ${wanted.length} data files instead`);
      log(`warning: ${warnings[warnings.length - 1]}`);
    }
  }
  wanted = wanted.filter((f) => f !== 'README.md');
  for (let i = 0; i < wanted.length; i++) await fetchOne(wanted[i], `[${i + 1}/${wanted.length}]`);
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const marker = { repo: repoName, revision, endpoint: hubUrl, files: files.map(({ path, size }) => ({ path, size })), date: new Date().toISOString() };
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, DOWNLOAD_MARKER + '.part'), JSON.stringify(marker, null, 2) + '\n');
  renameSync(join(dir, DOWNLOAD_MARKER + '.part'), join(dir, DOWNLOAD_MARKER));
  return { repo: repoName, revision, dir, files, bytes, warnings };
}
