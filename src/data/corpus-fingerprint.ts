import { createHash } from 'node:crypto';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { MtebError } from '../core/errors.js';

/** Bytes hashed at each end of a corpus file. */
const EDGE = 1 << 20;

/**
 * What identifies a corpus's data files without reading them: per file (in order) its byte size and the sha256 of
 * its first and last MiB, hashed together. The shards record it in their chunk lists and `merge` compares it with
 * the files it would load, so it can score from the lists without reading the corpus (a few MiB read, whatever the
 * size) and still refuses lists made from other data: another dataset revision or a regenerated corpus differs in
 * size or at its ends. Paths do not count: the shards' nodes may mount the data elsewhere.
 */
export function corpusFingerprint(files: readonly string[]): string {
  const h = createHash('sha256');
  for (const file of files) {
    let fd: number;
    try {
      fd = openSync(file, 'r');
    } catch (e) {
      throw new MtebError('E_FILE_MISSING', `cannot open corpus file: ${(e as Error).message}`, { file });
    }
    try {
      const size = fstatSync(fd).size;
      h.update(`${size}\n`);
      const edges = size <= 2 * EDGE ? [[0, size]] : [[0, EDGE], [size - EDGE, EDGE]];
      for (const [pos, n] of edges) {
        const b = Buffer.allocUnsafe(n);
        let got = 0;
        while (got < n) {
          const r = readSync(fd, b, got, n - got, pos + got);
          if (r === 0) break;
          got += r;
        }
        h.update(b.subarray(0, got));
      }
    } finally {
      closeSync(fd);
    }
  }
  return h.digest('hex');
}
