import { describe, test, expect } from '@jest/globals';
import { spawn } from 'node:child_process';
import { promises as fs, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EmbeddingCache } from '../../src/cache/embedding-cache.js';
import { cacheInfo, pruneCache, verifyCache } from '../../src/cache/maintenance.js';
import { encodeChunk, decodeChunk, decodeIndex, encodeIndex } from '../../src/cache/chunk-file.js';
import { StubEmbedder, stubVector } from './stub-embedder.js';

const tmp = () => mkdtempSync(path.join(os.tmpdir(), 'mteb-cache-test-'));
const texts = (n: number, p = 'text number ') => Array.from({ length: n }, (_, i) => `${p}${i}`);

async function chunkFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const ns of await fs.readdir(dir)) for (const f of await fs.readdir(path.join(dir, ns))) if (f.endsWith('.arrow')) out.push(path.join(dir, ns, f));
  return out.sort();
}

describe('EmbeddingCache', () => {
  test('returns the inner vectors, counts hits/misses, de-duplicates, separates role and instruction', async () => {
    const dir = tmp();
    const stub = new StubEmbedder(8);
    const cache = new EmbeddingCache(dir, { chunkRows: 4 });
    const e = cache.wrap(stub);
    const input = ['a', 'b', 'a', 'c', 'd', 'e', 'b'];
    const direct = await new StubEmbedder(8).embed(input, { role: 'query', instruction: 'Find' });
    const first = await e.embed(input, { role: 'query', instruction: 'Find' });
    expect(first).toEqual(direct);
    expect(stub.textsEmbedded).toBe(5);
    expect(stub.batches).toEqual([4, 1]);
    // 4 rows filled a chunk; 'e' waits in memory for the next one.
    expect(cache.stats()).toMatchObject({ hits: 0, misses: 5, chunksWritten: 1 });
    expect(cache.pendingRows()).toBe(1);
    const again = await e.embed(['e', 'a', 'zz'], { role: 'query', instruction: 'Find' });
    expect(Array.from(again.data.subarray(0, 16))).toEqual([...Array.from(direct.data.subarray(40, 48)), ...Array.from(direct.data.subarray(0, 8))]);
    expect(cache.stats()).toMatchObject({ hits: 2, misses: 6 });
    // Same text, other role or instruction: different vectors, not served from the cache.
    const passage = await e.embed(['a'], { role: 'passage' });
    const noInstr = await e.embed(['a'], { role: 'query' });
    expect(passage.data).not.toEqual(direct.data.subarray(0, 8));
    expect(noInstr.data).not.toEqual(passage.data);
    expect(cache.stats().misses).toBe(8);
    expect(cache.pendingRows()).toBe(4);
    await e.close();
    expect(cache.pendingRows()).toBe(0);
    expect(cache.stats().chunksWritten).toBe(4);
    // A second process (fresh instance) sees everything.
    const stub2 = new StubEmbedder(8);
    const c2 = new EmbeddingCache(dir);
    expect(await c2.wrap(stub2).embed(input, { role: 'query', instruction: 'Find' })).toEqual(direct);
    expect(stub2.calls).toBe(0);
    expect(c2.stats()).toMatchObject({ hits: 7, misses: 0, indexesRebuilt: 0 });
    const info = await cacheInfo(dir);
    expect(info.map((n) => [n.info?.role, n.info?.instruction, n.rows, n.dim, n.chunks, n.junk]).sort()).toEqual([
      ['passage', null, 1, 8, 1, 0],
      ['query', null, 1, 8, 1, 0],
      ['query', 'Find', 6, 8, 2, 0],
    ]);
  });

  test('buffers small calls into chunkRows-sized chunk files; flush() writes the rest', async () => {
    const dir = tmp();
    const stub = new StubEmbedder(8);
    const cache = new EmbeddingCache(dir, { chunkRows: 8 });
    const e = cache.wrap(stub);
    const all = texts(30);
    for (let s = 0; s < 30; s += 3) await e.embed(all.slice(s, s + 3), { role: 'passage' });
    // Written after calls 3, 6 and 9 (9 rows each); call 10's 3 rows are pending.
    expect(await chunkFiles(dir)).toHaveLength(3);
    expect(cache.pendingRows()).toBe(3);
    expect(stub.batches).toEqual(Array(10).fill(3));
    // Pending rows are served from memory.
    expect((await e.embed(['text number 29'], { role: 'passage' })).data).toEqual(stubVector('text number 29', { role: 'passage' }, 8));
    expect(stub.calls).toBe(10);
    await e.flush();
    expect(await chunkFiles(dir)).toHaveLength(4);
    expect((await cacheInfo(dir))[0]).toMatchObject({ rows: 30, chunks: 4, junk: 0 });
    await e.flush();
    expect(cache.stats().chunksWritten).toBe(4);
  });

  const runChild = async (dir: string, signal: NodeJS.Signals, mode = '') => {
    // 50 texts in calls of 4, chunks of 10 rows: calls 1-7 embed 28 texts, chunks are written after calls 3 and
    // 6 (12 rows each), call 7's 4 rows are pending when call 8 hangs.
    const child = spawn(process.execPath, ['bin/run-ts.js', 'tests/cache/kill-child.ts', dir, '50', '10', '8', '4', mode], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d) => {
        out += d;
        if (out.includes('hanging')) resolve();
        if (out.includes('finished')) reject(new Error('child finished before it could be killed'));
      });
      child.on('exit', () => reject(new Error('child exited early')));
    });
    child.kill(signal);
    await new Promise((r) => child.on('exit', r));
    return child;
  };

  const rerun = async (dir: string) => {
    const stub = new StubEmbedder(16);
    const cache = new EmbeddingCache(dir, { chunkRows: 10 });
    const got = await cache.wrap(stub).embed(texts(50), { role: 'passage' });
    expect(got).toEqual(await new StubEmbedder(16).embed(texts(50), { role: 'passage' }));
    return { stub, cache };
  };

  test('kill -9 mid-run: rerun gives identical vectors and re-embeds only what was not yet written', async () => {
    const dir = tmp();
    const child = await runChild(dir, 'SIGKILL');
    expect(child.signalCode).toBe('SIGKILL');
    expect(await chunkFiles(dir)).toHaveLength(2);
    const { stub, cache } = await rerun(dir);
    // The 24 rows on disk are reused; the 4 pending rows died with the process and are embedded again.
    expect(stub.textsEmbedded).toBe(26);
    // Embedded in calls of 10, 10, 6: two chunks written, 6 rows pending until a flush.
    expect(cache.stats()).toMatchObject({ hits: 24, misses: 26, chunksWritten: 2, corruptChunks: 0, indexesRebuilt: 0 });
    expect(cache.pendingRows()).toBe(6);
  }, 60_000);

  test('SIGTERM mid-run: pending rows are written before the process dies of the signal', async () => {
    const dir = tmp();
    const child = await runChild(dir, 'SIGTERM');
    expect(child.signalCode).toBe('SIGTERM');
    expect(await chunkFiles(dir)).toHaveLength(3);
    const { stub, cache } = await rerun(dir);
    expect(stub.textsEmbedded).toBe(22);
    expect(cache.stats()).toMatchObject({ hits: 28, misses: 22, corruptChunks: 0, indexesRebuilt: 0 });
  }, 60_000);

  test('a truncated or altered chunk is detected, set aside and re-embedded, never read as data', async () => {
    const dir = tmp();
    const warnings: string[] = [];
    await new EmbeddingCache(dir, { chunkRows: 5 }).wrap(new StubEmbedder(8)).embed(texts(15), { role: 'query' });
    const files = await chunkFiles(dir);
    expect(files).toHaveLength(3);
    const bytes = await fs.readFile(files[1]);
    await fs.writeFile(files[1], bytes.subarray(0, bytes.length - 100));
    const flipped = await fs.readFile(files[2]);
    flipped[flipped.length >> 1] ^= 1;
    await fs.writeFile(files[2], flipped);
    expect((await verifyCache(dir)).corrupt.sort()).toEqual([files[1], files[2]]);

    const stub = new StubEmbedder(8);
    const cache = new EmbeddingCache(dir, { chunkRows: 5, warn: (m) => warnings.push(m) });
    const got = await cache.wrap(stub).embed(texts(15), { role: 'query' });
    expect(got).toEqual(await new StubEmbedder(8).embed(texts(15), { role: 'query' }));
    expect(stub.textsEmbedded).toBe(10);
    expect(cache.stats()).toMatchObject({ hits: 5, misses: 10, corruptChunks: 2 });
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/content hash does not match/);
    expect(await verifyCache(dir)).toMatchObject({ corrupt: [], badIndexes: [] });
    const pruned = await pruneCache(dir);
    expect(pruned.removed.filter((f) => f.endsWith('.corrupt'))).toHaveLength(2);
  });

  test('SIGTERM with an application handler: pending rows written, the application\'s exit stands', async () => {
    const dir = tmp();
    const child = await runChild(dir, 'SIGTERM', 'app-handler');
    expect([child.exitCode, child.signalCode]).toEqual([3, null]);
    expect(await chunkFiles(dir)).toHaveLength(3);
  }, 60_000);

  test('a process that ends without close() still writes its pending rows (exit hook)', async () => {
    const dir = tmp();
    const { execFileSync } = await import('node:child_process');
    execFileSync(process.execPath, ['bin/run-ts.js', 'tests/cache/kill-child.ts', dir, '50', '10', '0', '4', 'no-close'], { stdio: 'ignore' });
    // Chunks after calls 3, 6, 9, 12 (12 rows each), then the last 2 rows at exit.
    expect(await chunkFiles(dir)).toHaveLength(5);
    const { stub } = await rerun(dir);
    expect(stub.calls).toBe(0);
  }, 60_000);

  test('concurrent calls and a second live instance: every text embedded once, others\' chunks picked up', async () => {
    const dir = tmp();
    const stub = new StubEmbedder(8);
    const a = new EmbeddingCache(dir, { chunkRows: 6 }).wrap(stub);
    const parts = Array.from({ length: 5 }, (_, p) => texts(20).slice(p * 4, p * 4 + 4));
    const got = await Promise.all(parts.map((t) => a.embed(t, { role: 'query' })));
    for (let p = 0; p < 5; p++) expect(got[p]).toEqual(await reference(parts[p]));
    expect(stub.textsEmbedded).toBe(20);
    const bStub = new StubEmbedder(8);
    const b = new EmbeddingCache(dir, { refreshMs: 0 }).wrap(bStub);
    await b.embed(['unrelated'], { role: 'query' });
    await a.close();
    // b opened before a flushed its last rows; a miss makes b look again and find them.
    expect(await b.embed(texts(20), { role: 'query' })).toEqual(await reference(texts(20)));
    expect(bStub.textsEmbedded).toBe(1);
  });

  test('a second instance in the same process sees the first one\'s pending rows (they are written first)', async () => {
    const dir = tmp();
    const a = new EmbeddingCache(dir, { chunkRows: 100 });
    await a.wrap(new StubEmbedder(8)).embed(texts(3), { role: 'query' });
    expect([a.pendingRows(), (await chunkFiles(dir)).length]).toEqual([3, 0]);
    const stub = new StubEmbedder(8);
    expect(await new EmbeddingCache(path.relative(process.cwd(), dir)).wrap(stub).embed(texts(3), { role: 'query' })).toEqual(await reference(texts(3)));
    expect(stub.calls).toBe(0);
    expect([a.pendingRows(), (await chunkFiles(dir)).length]).toEqual([0, 1]);
  });

  /** 5-row chunks of texts(n) (each a complete, indexed file) in a fresh cache folder. */
  const filled = async (n: number) => {
    const dir = tmp();
    const e = new EmbeddingCache(dir, { chunkRows: 5 }).wrap(new StubEmbedder(8));
    await e.embed(texts(n), { role: 'query' });
    await e.close();
    return { dir, files: await chunkFiles(dir) };
  };
  const idx = (chunk: string) => chunk.replace(/\.arrow$/, '.idx');
  const reference = (t: string[]) => new StubEmbedder(8).embed(t, { role: 'query' });

  test('opening reads only the indexes; a chunk is hashed when its vectors are first read', async () => {
    const { dir, files } = await filled(15);
    expect(files).toHaveLength(3);
    for (const f of files) expect((await fs.stat(idx(f))).size).toBe(48 + 5 * 32 + 32);
    const flipped = await fs.readFile(files[2]);
    flipped[flipped.length >> 1] ^= 1;
    await fs.writeFile(files[2], flipped);

    const warnings: string[] = [];
    const stub = new StubEmbedder(8);
    const cache = new EmbeddingCache(dir, { chunkRows: 5, warn: (m) => warnings.push(m) });
    const e = cache.wrap(stub);
    expect(await e.embed(texts(5), { role: 'query' })).toEqual(await reference(texts(5)));
    // Only the one chunk that holds these texts was read; the altered one is not noticed yet.
    expect(cache.stats()).toMatchObject({ hits: 5, misses: 0, chunksRead: 1, bytesRead: (await fs.stat(files[0])).size, corruptChunks: 0 });
    expect(warnings).toEqual([]);
    expect(await e.embed(texts(15).slice(10), { role: 'query' })).toEqual(await reference(texts(15).slice(10)));
    expect(cache.stats()).toMatchObject({ hits: 5, misses: 5, chunksRead: 1, corruptChunks: 1 });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/content hash does not match its name/);
    await expect(fs.access(`${files[2]}.corrupt`)).resolves.toBeUndefined();
    await expect(fs.access(idx(files[2]))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  test('a missing index is rebuilt silently from its chunk, a damaged one with a warning', async () => {
    const { dir, files } = await filled(15);
    await fs.rm(idx(files[0]));
    const ix = await fs.readFile(idx(files[1]));
    ix[60] ^= 4;
    await fs.writeFile(idx(files[1]), ix);
    expect(await verifyCache(dir)).toEqual({ checked: 3, corrupt: [], badIndexes: [files[0], files[1]] });

    const warnings: string[] = [];
    const stub = new StubEmbedder(8);
    const cache = new EmbeddingCache(dir, { warn: (m) => warnings.push(m) });
    expect(await cache.wrap(stub).embed(texts(15), { role: 'query' })).toEqual(await reference(texts(15)));
    expect(stub.calls).toBe(0);
    expect(cache.stats()).toMatchObject({ hits: 15, indexesRebuilt: 2, corruptChunks: 0 });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/unusable index \(index checksum mismatch\); rebuilt/);
    expect(await verifyCache(dir)).toEqual({ checked: 3, corrupt: [], badIndexes: [] });
  });

  test('an index listing the wrong texts is caught against the chunk\'s own digests, never served', async () => {
    const { dir, files } = await filled(10);
    // A well-formed index (valid checksum, right content hash) with rows 0 and 1 swapped.
    const good = decodeIndex(await fs.readFile(idx(files[0])));
    const swapped = Uint8Array.from(good.digests);
    swapped.set(good.digests.subarray(32, 64), 0);
    swapped.set(good.digests.subarray(0, 32), 32);
    await fs.writeFile(idx(files[0]), encodeIndex({ ...good, digests: swapped }));
    expect((await verifyCache(dir)).badIndexes).toEqual([files[0]]);

    const warnings: string[] = [];
    const stub = new StubEmbedder(8);
    const cache = new EmbeddingCache(dir, { warn: (m) => warnings.push(m) });
    expect(await cache.wrap(stub).embed(texts(10), { role: 'query' })).toEqual(await reference(texts(10)));
    expect(stub.calls).toBe(0);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/does not match its chunk; rebuilt/);
    expect((await verifyCache(dir)).badIndexes).toEqual([]);
  });

  test('a chunk gone while its index remains: its texts are re-embedded, prune removes the orphan index', async () => {
    const { dir, files } = await filled(15);
    await fs.rm(files[0]);
    let stub = new StubEmbedder(8);
    expect(await new EmbeddingCache(dir).wrap(stub).embed(texts(10), { role: 'query' })).toEqual(await reference(texts(10)));
    expect(stub.textsEmbedded).toBe(5);
    expect((await cacheInfo(dir))[0]).toMatchObject({ chunks: 2, rows: 10, junk: 1 });
    expect((await pruneCache(dir)).removed).toEqual([idx(files[0])]);
    // Removed after this process indexed it (prune or verify --fix elsewhere): same outcome, no error.
    const cache = new EmbeddingCache(dir);
    stub = new StubEmbedder(8);
    const e = cache.wrap(stub);
    await e.embed(texts(15).slice(10, 11), { role: 'query' });
    await fs.rm(files[1]);
    expect(await e.embed(texts(10).slice(5), { role: 'query' })).toEqual(await reference(texts(10).slice(5)));
    expect(stub.textsEmbedded).toBe(5);
    expect(cache.stats()).toMatchObject({ hits: 1, misses: 5, corruptChunks: 0 });
  });

  test('prune by fingerprint removes other models; a stale temp file of a killed writer is removed', async () => {
    const dir = tmp();
    await new EmbeddingCache(dir).wrap(new StubEmbedder(4)).embed(['x'], { role: 'query' });
    const [ns] = await fs.readdir(dir);
    const stale = path.join(dir, ns, 'c-x.arrow.tmp-123-abcd');
    await fs.writeFile(stale, 'partial');
    const old = new Date(Date.now() - 2 * 3_600_000);
    await fs.utimes(stale, old, old);
    expect((await pruneCache(dir, { dryRun: true })).removed).toEqual([stale]);
    expect((await pruneCache(dir)).removed).toEqual([stale]);
    expect((await pruneCache(dir, { keepFingerprints: ['test/stub@r1'] })).removed).toEqual([]);
    expect((await pruneCache(dir, { keepFingerprints: ['other@1'] })).removed).toEqual([path.join(dir, ns)]);
    expect(await fs.readdir(dir)).toEqual([]);
  });

  test('chunk encoding round-trips digests, vectors and metadata', () => {
    const dig = new Uint8Array(64).map((_, i) => i);
    const vec = Float32Array.of(1.5, -2, 3.25, Math.fround(0.1));
    const d = decodeChunk(encodeChunk(dig, vec, 2, { role: 'query' }));
    expect(d.rows).toBe(2);
    expect(d.dim).toBe(2);
    expect(Array.from(d.digests)).toEqual(Array.from(dig));
    expect(Array.from(d.vectors)).toEqual(Array.from(vec));
    expect(d.meta.get('role')).toBe('query');
  });
});
