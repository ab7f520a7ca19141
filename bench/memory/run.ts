// Peak RSS of exact top-100 search over precomputed embeddings (1M x 1,024 float32 = 4.1 GB by default),
// corpus held in memory vs streamed from the .npy file. Each mode runs in a fresh child process.
// Run: node bin/run-ts.js bench/memory/run.ts [--quick]   (JSON on stdout)
import { execFileSync } from 'node:child_process';
import { openSync, writeSync, closeSync, rmSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { npyHeader } from '../../src/search/corpus.js';

const quick = process.argv.includes('--quick');
const rows = quick ? 200_000 : 1_000_000;
const dim = 1024;
const queries = 100;
const dir = mkdtempSync(path.join(os.tmpdir(), 'mteb-mem-'));
const file = path.join(dir, 'corpus.npy');
process.stderr.write(`writing ${rows}x${dim} float32 to ${file} ...\n`);
const fd = openSync(file, 'w');
writeSync(fd, npyHeader(rows, dim));
const block = 10_000;
let a = 12345;
for (let s = 0; s < rows; s += block) {
  const buf = new Float32Array(Math.min(block, rows - s) * dim);
  for (let i = 0; i < buf.length; i++) {
    a = (Math.imul(a, 1103515245) + 12345) >>> 0;
    buf[i] = a / 2147483648 - 1;
  }
  writeSync(fd, new Uint8Array(buf.buffer));
}
closeSync(fd);
const out: unknown[] = [];
try {
  for (const mode of ['stream', 'memory']) {
    process.stderr.write(`search (${mode}) ...\n`);
    const r = JSON.parse(execFileSync(process.execPath, ['bin/run-ts.js', 'bench/memory/search-child.ts', file, mode, String(queries)], { encoding: 'utf8', maxBuffer: 1 << 20 }));
    r.rss_over_corpus = r.peak_rss_bytes / r.corpus_bytes;
    out.push(r);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
process.stdout.write(JSON.stringify(out, null, 2) + '\n');
