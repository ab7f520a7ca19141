// Embedding-cache write and read throughput vs raw file I/O of the same bytes, with the runner's access
// pattern: one embed() call per batch of 32 texts (--batch-size default), default chunk size.
// Run: node bin/run-ts.js bench/cache/run.ts [--quick]   (JSON on stdout)
import { promises as fs, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EmbeddingCache } from '../../src/cache/embedding-cache.js';
import type { Embedder } from '../../src/core/embedder.js';

const quick = process.argv.includes('--quick');
const [N, D] = quick ? [20_000, 1024] : [100_000, 1024];
const BATCH = 32;
const texts = Array.from({ length: N }, (_, i) => `document ${i}`);
const vectors = new Float32Array(N * D).map((_, i) => Math.sin(i));
const index = new Map(texts.map((t, i) => [t, i]));
/** Returns precomputed rows instantly, so only the cache's own cost is timed. */
const inner: Embedder = {
  name: 'bench/instant',
  revision: '1',
  dimension: D,
  async embed(batch) {
    const out = new Float32Array(batch.length * D);
    batch.forEach((t, r) => out.set(vectors.subarray(index.get(t)! * D, (index.get(t)! + 1) * D), r * D));
    return { rows: batch.length, dim: D, data: out };
  },
};
const bytes = N * D * 4;
const dir = mkdtempSync(path.join(os.tmpdir(), 'mteb-cache-bench-'));
const mbps = (s: number) => bytes / s / 2 ** 20;
const time = async (f: () => Promise<unknown>) => {
  const t = performance.now();
  await f();
  return (performance.now() - t) / 1000;
};
/** All texts in runner-sized calls; returns the last call's data for a spot check. */
const embedAll = async (e: Embedder) => {
  let last: Float32Array = new Float32Array(0);
  for (let s = 0; s < N; s += BATCH) last = (await e.embed(texts.slice(s, s + BATCH), { role: 'passage' })).data;
  return last;
};
try {
  const writer = new EmbeddingCache(dir);
  const w = writer.wrap(inner);
  const write = await time(async () => {
    await embedAll(w);
    await (w as { close?: () => Promise<void> }).close?.();
  });
  const nsDir = path.join(dir, (await fs.readdir(dir))[0]);
  const files = (await fs.readdir(nsDir)).filter((f) => f !== 'namespace.json');
  // A new cache instance = a new process: open (index) + the first call, then all calls.
  const fresh = new EmbeddingCache(dir);
  const r = fresh.wrap(inner);
  const open = await time(() => r.embed(texts.slice(0, BATCH), { role: 'passage' }));
  let last: Float32Array = new Float32Array(0);
  const read = await time(async () => (last = await embedAll(r)));
  if (fresh.stats().misses !== 0 || last[D + 5] !== vectors[(N - BATCH + 1) * D + 5]) throw new Error('cache read back wrong data');
  const warm = await time(() => embedAll(r));
  const chunkRows = writer.chunkRows;
  const raw = path.join(dir, 'raw.f32');
  const rawWrite = await time(async () => {
    for (let s = 0; s < N; s += chunkRows) {
      const h = await fs.open(`${raw}.${s}`, 'w');
      await h.writeFile(new Uint8Array(vectors.buffer, s * D * 4, Math.min(chunkRows, N - s) * D * 4));
      await h.sync();
      await h.close();
    }
  });
  const rawRead = await time(async () => {
    for (let s = 0; s < N; s += chunkRows) await fs.readFile(`${raw}.${s}`);
  });
  process.stdout.write(
    JSON.stringify(
      {
        vectors: N,
        dim: D,
        batch: BATCH,
        chunk_rows: chunkRows,
        files_written: files.length,
        bytes,
        cache_write_s: write,
        cache_write_MiBps: mbps(write),
        cache_open_first_call_s: open,
        cache_read_cold_process_s: read + open,
        cache_read_cold_process_MiBps: mbps(read + open),
        cache_read_same_process_s: warm,
        raw_write_fsync_s: rawWrite,
        raw_write_MiBps: mbps(rawWrite),
        raw_read_s: rawRead,
        raw_read_MiBps: mbps(rawRead),
      },
      null,
      2,
    ) + '\n',
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
