import { describe, test, expect, jest } from '@jest/globals';
import { promises as fs, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cacheCommand } from '../../src/cli/commands/cache.js';
import { EmbeddingCache } from '../../src/cache/embedding-cache.js';
import { StubEmbedder } from './stub-embedder.js';

async function capture(f: () => Promise<number>): Promise<{ code: number; out: string }> {
  let out = '';
  const o = jest.spyOn(process.stdout, 'write').mockImplementation((s: any) => ((out += s), true));
  const e = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    return { code: await f(), out };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

describe('mteb-ts cache', () => {
  test('info, verify (exit 1 on corruption, 0 with --fix), prune', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'cache-cli-'));
    const e = new EmbeddingCache(dir, { chunkRows: 2 }).wrap(new StubEmbedder(4));
    await e.embed(['a', 'b', 'c'], { role: 'query', instruction: 'Q' });
    await e.close();
    const base = { 'cache-dir': dir, fix: false, 'dry-run': false, json: true };
    const info = await capture(() => cacheCommand.handler({ ...base, action: 'info' }));
    expect(info.code).toBe(0);
    expect(JSON.parse(info.out)).toMatchObject([{ chunks: 2, rows: 3, dim: 4, junk: 0, info: { fingerprint: 'test/stub@r1', role: 'query', instruction: 'Q' } }]);
    const [ns] = await fs.readdir(dir);
    const chunk = (await fs.readdir(path.join(dir, ns))).find((f) => f.endsWith('.arrow'))!;
    await fs.appendFile(path.join(dir, ns, chunk), 'x');
    const bad = await capture(() => cacheCommand.handler({ ...base, action: 'verify' }));
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.out)).toEqual({ checked: 2, corrupt: [path.join(dir, ns, chunk)], badIndexes: [] });
    expect((await capture(() => cacheCommand.handler({ ...base, action: 'verify', fix: true }))).code).toBe(0);
    const pruned = await capture(() => cacheCommand.handler({ ...base, action: 'prune' }));
    expect(JSON.parse(pruned.out).removed).toEqual([path.join(dir, ns, `${chunk}.corrupt`)]);
    const missing = cacheCommand.handler({ ...base, action: 'info', 'cache-dir': path.join(dir, 'nope') });
    await expect(missing).rejects.toMatchObject({ code: 'E_CACHE' });
  });
});
