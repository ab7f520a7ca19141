import { promises as fs } from 'node:fs';
import path from 'node:path';
import { MtebError } from '../core/errors.js';
import { decodeChunk, expectedHash, sha256 } from './chunk-file.js';
import type { NamespaceInfo } from './keys.js';

export interface NamespaceSummary {
  key: string;
  info: NamespaceInfo | null;
  chunks: number;
  rows: number;
  bytes: number;
  dim: number | null;
  /** Leftovers: `*.corrupt` chunks and temp files of killed writers. */
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

/** Rows are counted from chunk footers without hashing (fast); `verifyCache` checks content. */
export async function cacheInfo(dir: string): Promise<NamespaceSummary[]> {
  const out: NamespaceSummary[] = [];
  for (const ns of await listNamespaces(dir)) {
    const nsDir = path.join(dir, ns);
    const s: NamespaceSummary = { key: ns.slice(3), info: await readInfo(nsDir), chunks: 0, rows: 0, bytes: 0, dim: null, junk: 0 };
    for (const f of await fs.readdir(nsDir)) {
      if (f === 'namespace.json') continue;
      const st = await fs.stat(path.join(nsDir, f));
      if (!expectedHash(f)) {
        s.junk++;
        continue;
      }
      s.chunks++;
      s.bytes += st.size;
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
}

/** Hashes every chunk against its name and decodes it; with `fix`, bad chunks are renamed `*.corrupt`. */
export async function verifyCache(dir: string, opts: { fix?: boolean } = {}): Promise<VerifyReport> {
  const rep: VerifyReport = { checked: 0, corrupt: [] };
  for (const ns of await listNamespaces(dir)) {
    const nsDir = path.join(dir, ns);
    for (const f of (await fs.readdir(nsDir)).sort()) {
      const want = expectedHash(f);
      if (!want) continue;
      rep.checked++;
      const full = path.join(nsDir, f);
      const bytes = await fs.readFile(full);
      let ok = sha256(bytes) === want;
      if (ok) {
        try {
          decodeChunk(bytes);
        } catch {
          ok = false;
        }
      }
      if (!ok) {
        rep.corrupt.push(full);
        if (opts.fix) await fs.rename(full, `${full}.corrupt`);
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
 * Always removes `*.corrupt` files and temp files older than an hour (a writer still running finishes within
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
    const dropFp = opts.keepFingerprints && (!info || !opts.keepFingerprints.includes(info.fingerprint));
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
      if (f.endsWith('.corrupt') || staleTmp) {
        removed.push(full);
        bytes += st.size;
        if (!opts.dryRun) await fs.rm(full, { force: true });
      }
    }
  }
  return { removed, bytes };
}
