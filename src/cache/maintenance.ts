import { promises as fs } from 'node:fs';
import path from 'node:path';
import { MtebError } from '../core/errors.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import { chunkOfIndex, decodeChunk, decodeIndex, encodeIndex, expectedHash, indexFileName, sha256 } from './chunk-file.js';
import type { NamespaceInfo } from './keys.js';

export interface NamespaceSummary {
  key: string;
  info: NamespaceInfo | null;
  chunks: number;
  rows: number;
  bytes: number;
  dim: number | null;
  /** Leftovers: `*.corrupt` chunks, temp files of killed writers, indexes whose chunk is gone. */
  junk: number;
}

async function listNamespaces(dir: string): Promise<string[]> {
  try {
    return (await fs.readdir(dir)).filter((f) => f.startsWith('ns-')).sort();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new MtebError('E_CACHE', 'cache folder does not exist', { file: dir });
    throw e;
  }
}

async function readInfo(nsDir: string): Promise<NamespaceInfo | null> {
  try {
    return JSON.parse(await fs.readFile(path.join(nsDir, 'namespace.json'), 'utf8')) as NamespaceInfo;
  } catch {
    return null;
  }
}

/** Rows come from the chunk indexes (a chunk without a usable one is decoded); `verifyCache` checks content. */
export async function cacheInfo(dir: string): Promise<NamespaceSummary[]> {
  const out: NamespaceSummary[] = [];
  for (const ns of await listNamespaces(dir)) {
    const nsDir = path.join(dir, ns);
    const s: NamespaceSummary = { key: ns.slice(3), info: await readInfo(nsDir), chunks: 0, rows: 0, bytes: 0, dim: null, junk: 0 };
    const files = new Set(await fs.readdir(nsDir));
    for (const f of files) {
      if (f === 'namespace.json') continue;
      const st = await fs.stat(path.join(nsDir, f));
      s.bytes += st.size;
      const owner = chunkOfIndex(f);
      if (owner) {
        if (!files.has(owner)) s.junk++;
        continue;
      }
      if (!expectedHash(f)) {
        s.junk++;
        continue;
      }
      s.chunks++;
      try {
        const ix = decodeIndex(await fs.readFile(path.join(nsDir, indexFileName(f))));
        s.rows += ix.rows;
        s.dim = ix.dim;
        continue;
      } catch {
        // no or damaged index: count from the chunk itself
      }
      try {
        const c = decodeChunk(await fs.readFile(path.join(nsDir, f)));
        s.rows += c.rows;
        s.dim = c.dim;
      } catch {
        s.junk++;
      }
    }
    out.push(s);
  }
  return out;
}

export interface VerifyReport {
  checked: number;
  corrupt: string[];
  /** Chunks (sound ones) whose index was missing or did not match them; rewritten with `fix`. */
  badIndexes: string[];
}

/**
 * Hashes every chunk against its name, decodes it and compares its index; with `fix`, bad chunks are renamed
 * `*.corrupt` (their index removed) and missing or wrong indexes are rewritten from their chunk.
 */
export async function verifyCache(dir: string, opts: { fix?: boolean } = {}): Promise<VerifyReport> {
  const rep: VerifyReport = { checked: 0, corrupt: [], badIndexes: [] };
  for (const ns of await listNamespaces(dir)) {
    const nsDir = path.join(dir, ns);
    for (const f of (await fs.readdir(nsDir)).sort()) {
      const want = expectedHash(f);
      if (!want) continue;
      rep.checked++;
      const full = path.join(nsDir, f);
      const bytes = await fs.readFile(full);
      let chunk: ReturnType<typeof decodeChunk> | null = null;
      if (sha256(bytes) === want) {
        try {
          chunk = decodeChunk(bytes);
        } catch {
          chunk = null;
        }
      }
      const idxFile = path.join(nsDir, indexFileName(f));
      if (!chunk) {
        rep.corrupt.push(full);
        if (opts.fix) {
          await fs.rename(full, `${full}.corrupt`);
          await fs.rm(idxFile, { force: true });
        }
        continue;
      }
      const expected = Buffer.from(encodeIndex({ rows: chunk.rows, dim: chunk.dim, contentHash: want, digests: chunk.digests }));
      const actual = await fs.readFile(idxFile).catch(() => null);
      if (!actual || !expected.equals(actual)) {
        rep.badIndexes.push(full);
        if (opts.fix) await writeFileAtomic(idxFile, expected);
      }
    }
  }
  return rep;
}

export interface PruneOptions {
  /** Remove namespaces whose model fingerprint is not in this list. */
  keepFingerprints?: string[];
  /** Remove namespaces whose newest chunk is older than this many days. */
  olderThanDays?: number;
  dryRun?: boolean;
}

/**
 * Always removes `*.corrupt` files, indexes whose chunk is gone, and temp files older than an hour (a writer still running finishes within
 * seconds); removes whole namespaces by fingerprint or age when asked. Returns the paths removed.
 */
export async function pruneCache(dir: string, opts: PruneOptions = {}): Promise<{ removed: string[]; bytes: number }> {
  const removed: string[] = [];
  let bytes = 0;
  const now = Date.now();
  for (const ns of await listNamespaces(dir)) {
    const nsDir = path.join(dir, ns);
    const info = await readInfo(nsDir);
    const files = await fs.readdir(nsDir);
    let newest = 0;
    let nsBytes = 0;
    for (const f of files) {
      const st = await fs.stat(path.join(nsDir, f));
      nsBytes += st.size;
      if (expectedHash(f)) newest = Math.max(newest, st.mtimeMs);
    }
    // A namespace whose namespace.json cannot be read is never dropped for its fingerprint: we cannot tell
    // whether it is one the user asked to keep.
    const dropFp = opts.keepFingerprints && info && !opts.keepFingerprints.includes(info.fingerprint);
    const dropAge = opts.olderThanDays !== undefined && newest > 0 && now - newest > opts.olderThanDays * 86_400_000;
    if (dropFp || dropAge) {
      removed.push(nsDir);
      bytes += nsBytes;
      if (!opts.dryRun) await fs.rm(nsDir, { recursive: true, force: true });
      continue;
    }
    for (const f of files) {
      const full = path.join(nsDir, f);
      const st = await fs.stat(full);
      const staleTmp = f.includes('.tmp-') && now - st.mtimeMs > 3_600_000;
      // Writers rename the chunk before writing its index, so an index without its chunk is never in progress.
      const owner = chunkOfIndex(f);
      const orphanIndex = owner !== null && !files.includes(owner);
      if (f.endsWith('.corrupt') || staleTmp || orphanIndex) {
        removed.push(full);
        bytes += st.size;
        if (!opts.dryRun) await fs.rm(full, { force: true });
      }
    }
  }
  return { removed, bytes };
}
