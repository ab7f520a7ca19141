import { describe, test, expect, afterAll, beforeAll } from '@jest/globals';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createOpenAIEmbedder, parseOpenAISpec, retryAfterMs } from '../../src/embedders/openai/index.js';
import { startServer, type RunningServer } from '../../src/serve/server.js';
import { StubEmbedder } from '../cache/stub-embedder.js';
import { startFaultProxy } from './fault-proxy.js';

const texts = Array.from({ length: 40 }, (_, i) => `sentence ${i} ${'x'.repeat(i * 3)}`);
let server: RunningServer;
let stub: StubEmbedder;

beforeAll(async () => {
  stub = new StubEmbedder(12);
  server = await startServer(stub, { port: 0 });
});
afterAll(async () => server.close());

describe('openai: client against mteb-ts serve', () => {
  test('identical vectors to a direct call, in order, with role, instruction and batching', async () => {
    const e = createOpenAIEmbedder(`openai:${server.url}#test/stub?batch=7&concurrency=3`);
    expect(e.dimension).toBe(0);
    const before = stub.calls;
    const got = await e.embed(texts, { role: 'query', instruction: 'Retrieve passages' });
    expect(got).toEqual(await new StubEmbedder(12).embed(texts, { role: 'query', instruction: 'Retrieve passages' }));
    expect(e.dimension).toBe(12);
    expect(e.name).toBe('test/stub');
    expect(stub.calls - before).toBe(6);
    const passages = await e.embed(texts.slice(0, 3), { role: 'passage' });
    expect(passages).toEqual(await new StubEmbedder(12).embed(texts.slice(0, 3), { role: 'passage' }));
    expect(e.stats()).toMatchObject({ requests: 7, retries: 0, texts: 43 });
  });

  test('base64 encoding and a client-side template give the templated text to the server', async () => {
    const e = createOpenAIEmbedder(`${server.url}/v1#m?encoding=base64&query_template=${encodeURIComponent('Instruct: {instruction}\nQuery: ')}`);
    const got = await e.embed(['what is a cat'], { role: 'query', instruction: 'Find' });
    // The template went into the text and no instruction field was sent, so the server saw role query without instruction.
    expect(got).toEqual(await new StubEmbedder(12).embed(['Instruct: Find\nQuery: what is a cat'], { role: 'query' }));
  });

  test('token budget splits batches: chars/4 estimate, oversized text alone', async () => {
    const e = createOpenAIEmbedder(`openai:${server.url}#m?tokens=10&batch=100`);
    const before = stub.batches.length;
    await e.embed(['a'.repeat(16), 'b'.repeat(16), 'c'.repeat(100), 'd'], { role: 'passage' });
    expect(stub.batches.slice(before)).toEqual([2, 1, 1]);
  });

  test('injected faults (slow, 429+Retry-After, 500, 503, dropped, malformed, truncated) still give identical vectors', async () => {
    const proxy = await startFaultProxy(server.url, ['slow', '429', '500', 'drop', 'malformed', 'truncated', '503'], { slowMs: 1500, retryAfter: '1' });
    try {
      const logs: string[] = [];
      const e = createOpenAIEmbedder(`openai:${proxy.url}#m?batch=10&concurrency=2&timeout_ms=400`, { backoffBaseMs: 5, log: (m) => logs.push(m) });
      const t0 = Date.now();
      const got = await e.embed(texts, { role: 'passage' });
      expect(got).toEqual(await new StubEmbedder(12).embed(texts, { role: 'passage' }));
      expect(proxy.seen.slice(0, 7)).toEqual(['slow', '429', '500', 'drop', 'malformed', 'truncated', '503']);
      expect(e.stats()).toMatchObject({ requests: 4 + 7, retries: 7 });
      expect(Date.now() - t0).toBeGreaterThanOrEqual(1000);
      expect(logs.some((l) => /HTTP 429/.test(l))).toBe(true);
      expect(logs.some((l) => /no complete response within 400 ms/.test(l))).toBe(true);
    } finally {
      await proxy.close();
    }
  }, 30_000);

  test('gives up after maxRetries with E_NETWORK; 4xx is not retried; the API key never appears', async () => {
    process.env.MTEB_TEST_KEY = 'sk-secret-123';
    const proxy = await startFaultProxy(server.url, ['500', '500', '500']);
    try {
      const e = createOpenAIEmbedder(`openai:${proxy.url}#m?retries=2&api_key_env=MTEB_TEST_KEY`, { backoffBaseMs: 1 });
      const err = await e.embed(['x'], { role: 'query' }).catch((x) => x);
      expect(err).toMatchObject({ code: 'E_NETWORK' });
      expect(err.message).toMatch(/failed after 3 tries; last: HTTP 500/);
      expect(err.message).not.toContain('sk-secret-123');
    } finally {
      await proxy.close();
    }
    // A server that echoes the Authorization header back in a 401 body.
    const echo = http.createServer((req, res) => {
      res.writeHead(401);
      res.end(`bad key ${req.headers.authorization}`);
    });
    await new Promise<void>((r) => echo.listen(0, '127.0.0.1', () => r()));
    try {
      const e = createOpenAIEmbedder(`openai:http://127.0.0.1:${(echo.address() as AddressInfo).port}#m?api_key_env=MTEB_TEST_KEY`);
      const err = await e.embed(['x'], { role: 'query' }).catch((x) => x);
      expect(err.message).toBe(`HTTP 401 from http://127.0.0.1:${(echo.address() as AddressInfo).port}/v1/embeddings: bad key Bearer ***`);
      expect((e as any).stats().requests).toBe(1);
    } finally {
      echo.close();
      echo.closeAllConnections();
      delete process.env.MTEB_TEST_KEY;
    }
  });

  test('several URLs share the load (each request to the least busy one)', async () => {
    const s2stub = new StubEmbedder(12);
    const s2 = await startServer(s2stub, { port: 0 });
    try {
      const before = stub.calls;
      const e = createOpenAIEmbedder(`openai:${server.url},${s2.url}#m?batch=5&concurrency=2`);
      const got = await e.embed(texts, { role: 'passage' });
      expect(got).toEqual(await new StubEmbedder(12).embed(texts, { role: 'passage' }));
      // Which server answers which batch depends on timing; the vectors never do.
      expect(stub.calls - before + s2stub.calls).toBe(8);
      expect(stub.calls - before).toBeGreaterThan(0);
      expect(s2stub.calls).toBeGreaterThan(0);
    } finally {
      await s2.close();
    }
  });
});

describe('openai: spec parsing', () => {
  test('URLs, model, options', () => {
    const s = parseOpenAISpec('openai:http://a:8000,https://b.example/v1,http://c/x/v1/embeddings#nvidia/NV-Embed-v2?dim=4096&ext=none');
    expect(s.endpoints).toEqual(['http://a:8000/v1/embeddings', 'https://b.example/v1/embeddings', 'http://c/x/v1/embeddings']);
    expect(s.model).toBe('nvidia/NV-Embed-v2');
    expect(s.params.get('dim')).toBe('4096');
    expect(() => parseOpenAISpec('openai:#m')).toThrow(/at least one server URL/);
    expect(() => parseOpenAISpec('openai:ftp://x#m')).toThrow(/http/);
    expect(() => createOpenAIEmbedder('openai:http://a#m?batch=-1')).toThrow(/batch=-1/);
    expect(() => createOpenAIEmbedder('openai:http://a#m?api_key_env=SURELY_UNSET_VAR_42')).toThrow(/SURELY_UNSET_VAR_42/);
    expect(retryAfterMs('2')).toBe(2000);
    expect(retryAfterMs(undefined)).toBeUndefined();
  });
});

describe('openai: dimension', () => {
  test('openOpenAIEmbedder learns the dimension up front; a cached run reports it without any request', async () => {
    const { openOpenAIEmbedder } = await import('../../src/embedders/openai/index.js');
    const { EmbeddingCache } = await import('../../src/cache/embedding-cache.js');
    const fs = await import('node:fs');
    const os = await import('node:os');
    const path = await import('node:path');
    const e = await openOpenAIEmbedder(`openai:${server.url}#m`);
    expect(e.dimension).toBe(12);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'oa-cache-'));
    await new EmbeddingCache(dir).wrap(createOpenAIEmbedder(`openai:${server.url}#m`)).embed(['q1'], { role: 'query' });
    const fresh = createOpenAIEmbedder(`openai:${server.url}#m`);
    const cached = new EmbeddingCache(dir).wrap(fresh);
    expect(cached.dimension).toBe(0);
    await cached.embed(['q1'], { role: 'query' });
    expect(cached.dimension).toBe(12);
    expect(fresh.stats().requests).toBe(0);
  });
});
