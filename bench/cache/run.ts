// Embedding-cache write and read throughput vs raw file I/O of the same bytes.
// Run: node bin/run-ts.js bench/cache/run.ts [--quick]   (JSON on stdout)
import { promises as fs, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EmbeddingCache } from '../../src/cache/embedding-cache.js';
import type { Embedder } from '../../src/core/embedder.js';

const quick = process.argv.includes('--quick');
const [N, D, CHUNK] = quick ? [20_000, 1024, 4096] : [100_000, 1024, 8192];
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
try {
  const write = await time(() => new EmbeddingCache(dir, { chunkRows: CHUNK }).wrap(inner).embed(texts, { role: 'passage' }));
  const fresh = new EmbeddingCache(dir, { chunkRows: CHUNK });
  let got: Float32Array = new Float32Array(0);
  const read = await time(async () => (got = (await fresh.wrap(inner).embed(texts, { role: 'passage' })).data));
  if (fresh.stats().misses !== 0 || got[12345] !== vectors[12345]) throw new Error('cache read back wrong data');
  const warm = await time(() => fresh.wrap(inner).embed(texts, { role: 'passage' }));
  const raw = path.join(dir, 'raw.f32');
  const rawWrite = await time(async () => {
    for (let s = 0; s < N; s += CHUNK) {
      const h = await fs.open(`${raw}.${s}`, 'w');
      await h.writeFile(new Uint8Array(vectors.buffer, s * D * 4, Math.min(CHUNK, N - s) * D * 4));
      await h.sync();
      await h.close();
    }
  });
  const rawRead = await time(async () => {
    for (let s = 0; s < N; s += CHUNK) await fs.readFile(`${raw}.${s}`);
  });
  process.stdout.write(
    JSON.stringify(
      {
        vectors: N,
        dim: D,
        chunk_rows: CHUNK,
        bytes,
        cache_write_s: write,
        cache_write_MiBps: mbps(write),
        cache_read_cold_process_s: read,
        cache_read_cold_process_MiBps: mbps(read),
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
