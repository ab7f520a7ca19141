/**
 * A result and its sidecars (`<Task>.items.json`, the predictions files) are one unit: the sidecars are written
 * first, each through a temp file + rename, and the result file last, recording a fresh `evaluation_id` (which the
 * items file repeats) and the sha256 of every sidecar (`mteb_ts.sidecars`). A crash at any point leaves the old
 * unit or the new one, and any mix of the two is recognisable: a sidecar whose digest is not the one its result
 * records does not belong to it (docs/reliability.md, "Results").
 */
import { closeSync, existsSync, openSync, readSync } from 'node:fs';
import path from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import type { ResultFile } from './result-file.js';

export function newEvaluationId(): string {
  return randomBytes(12).toString('hex');
}

export function sha256Text(text: string): string {
  return `sha256:${createHash('sha256').update(text, 'utf8').digest('hex')}`;
}

/** `sha256:<hex>` of a file's bytes, read in 4 MiB pieces (predictions can be hundreds of MB). */
export function sha256File(file: string): string {
  const h = createHash('sha256');
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.allocUnsafe(4 << 20);
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n <= 0) break;
      h.update(buf.subarray(0, n));
    }
  } finally {
    closeSync(fd);
  }
  return `sha256:${h.digest('hex')}`;
}

/**
 * Why the sidecar `file` does not belong to `result` (written beside `resultFile`), or null when its digest is the
 * one the result records. Results without `mteb_ts.sidecars` (mteb's own, older mteb-ts) record none: 'untracked'.
 */
export function sidecarMismatch(result: ResultFile, file: string): string | null | 'untracked' {
  const recorded = result.mteb_ts?.sidecars;
  if (!recorded) return 'untracked';
  const name = path.basename(file);
  const want = recorded[name];
  if (!existsSync(file)) return want ? `${name} is missing` : null;
  if (!want) return `${name} was not written with this result`;
  const got = sha256File(file);
  return got === want ? null : `${name} does not belong to this result (sha256 ${got.slice(7, 19)}…, the result records ${want.slice(7, 19)}…; an interrupted rewrite?)`;
}

/**
 * Every way the sidecars recorded by a result differ from the files beside it (empty: the unit is whole). A file
 * for which `mayBeMissing` is true (predictions, which a user may delete) only counts when present and different.
 */
export function brokenSidecars(result: ResultFile, resultFile: string, mayBeMissing: (name: string) => boolean = () => false): string[] {
  const recorded = result.mteb_ts?.sidecars;
  if (!recorded) return [];
  const dir = path.dirname(resultFile);
  const out: string[] = [];
  for (const name of Object.keys(recorded)) {
    if (mayBeMissing(name) && !existsSync(path.join(dir, name))) continue;
    const why = sidecarMismatch(result, path.join(dir, name));
    if (why && why !== 'untracked') out.push(why);
  }
  return out;
}
