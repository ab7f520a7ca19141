import { describe, test, expect } from '@jest/globals';
import { spawn } from 'node:child_process';
import { promises as fs, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EmbeddingCache } from '../../src/cache/embedding-cache.js';
import { cacheInfo, pruneCache, verifyCache } from '../../src/cache/maintenance.js';
import { encodeChunk, decodeChunk } from '../../src/cache/chunk-file.js';
import { StubEmbedder } from './stub-embedder.js';

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
    expect(cache.stats()).toMatchObject({ hits: 0, misses: 5, chunksWritten: 2 });
    const again = await e.embed(['e', 'a', 'zz'], { role: 'query', instruction: 'Find' });
    expect(Array.from(again.data.subarray(0, 16))).toEqual([...Array.from(direct.data.subarray(40, 48)), ...Array.from(direct.data.subarray(0, 8))]);
    expect(cache.stats()).toMatchObject({ hits: 2, misses: 6 });
    // Same text, other role or instruction: different vectors, not served from the cache.
    const passage = await e.embed(['a'], { role: 'passage' });
    const noInstr = await e.embed(['a'], { role: 'query' });
    expect(passage.data).not.toEqual(direct.data.subarray(0, 8));
    expect(noInstr.data).not.toEqual(passage.data);
    expect(cache.stats().misses).toBe(8);
    // A second process (fresh instance) sees everything.
    const stub2 = new StubEmbedder(8);
    const c2 = new EmbeddingCache(dir);
    expect(await c2.wrap(stub2).embed(input, { role: 'query', instruction: 'Find' })).toEqual(direct);
    expect(stub2.calls).toBe(0);
    expect(c2.stats()).toMatchObject({ hits: 7, misses: 0 });
    const info = await cacheInfo(dir);
    expect(info.map((n) => [n.info?.role, n.info?.instruction, n.rows, n.dim]).sort()).toEqual([
      ['passage', null, 1, 8],
      ['query', null, 1, 8],
      ['query', 'Find', 6, 8],
    ]);
  });

  test('kill -9 mid-run: rerun gives identical vectors and re-embeds only the unfinished chunk', async () => {
    const dir = tmp();
    const child = spawn(process.execPath, ['bin/run-ts.js', 'tests/cache/kill-child.ts', dir, '50', '10', '4'], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d) => {
        out += d;
        if (out.includes('hanging')) resolve();
        if (out.includes('finished')) reject(new Error('child finished before it could be killed'));
      });
      child.on('exit', () => reject(new Error('child exited early')));
    });
    child.kill('SIGKILL');
    await new Promise((r) => child.on('exit', r));
    expect(child.signalCode).toBe('SIGKILL');
    expect(await chunkFiles(dir)).toHaveLength(3);

    const stub = new StubEmbedder(16);
    const cache = new EmbeddingCache(dir, { chunkRows: 10 });
    const got = await cache.wrap(stub).embed(texts(50), { role: 'passage' });
    expect(got).toEqual(await new StubEmbedder(16).embed(texts(50), { role: 'passage' }));
    expect(stub.textsEmbedded).toBe(20);
    expect(cache.stats()).toMatchObject({ hits: 30, misses: 20, chunksWritten: 2, corruptChunks: 0 });
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
    expect((await verifyCache(dir)).corrupt).toEqual([]);
    const pruned = await pruneCache(dir);
    expect(pruned.removed.filter((f) => f.endsWith('.corrupt'))).toHaveLength(2);
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
