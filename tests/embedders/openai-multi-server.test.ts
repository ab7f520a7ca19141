// `openai:` over several servers, as `run` drives it (embedTexts keeps `maxInFlight` calls going): the vectors are
// the single-server ones byte for byte, the requests in flight over all servers never exceed `concurrency`, the
// least busy server gets the next request, and a server's refusal in flight is the client's typed E_NETWORK.
import { describe, test, expect, afterAll, beforeAll } from '@jest/globals';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createOpenAIEmbedder } from '../../src/embedders/openai/openai-embedder.js';
import { embedTexts } from '../../src/run/embed-texts.js';
import { silentProgress } from '../../src/util/progress.js';
import { MtebError } from '../../src/core/errors.js';
import { stubVector } from '../cache/stub-embedder.js';

const DIM = 6;

interface Server {
  url: string;
  requests: number;
  running: number;
  close(): Promise<void>;
}

/** Shared across the servers of a test: requests being served at once over all of them. */
const fleet = { running: 0, peak: 0 };

/** An OpenAI-style server answering stub vectors after `delayMs`; `refuse` answers the n-th request with 400. */
async function startServer(delayMs: number, refuse?: number): Promise<Server> {
  const s: Server = { url: '', requests: 0, running: 0, close: async () => undefined };
  const server = http.createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => {
      const n = ++s.requests;
      s.running++;
      fleet.peak = Math.max(fleet.peak, ++fleet.running);
      const body = JSON.parse(Buffer.concat(parts).toString('utf8')) as { input: string[]; input_type?: 'query' | 'passage' };
      setTimeout(() => {
        s.running--;
        fleet.running--;
        if (n === refuse) {
          res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'input too long' } }));
          return;
        }
        const data = body.input.map((t, index) => ({ object: 'embedding', index, embedding: Array.from(stubVector(t, { role: body.input_type ?? 'passage' }, DIM)) }));
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ object: 'list', data, model: 'm' }));
      }, delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  s.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  s.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return s;
}

const texts = Array.from({ length: 300 }, (_, i) => `passage ${i} ${'w'.repeat(i % 40)}`);
const expected = new Float32Array(texts.length * DIM);
texts.forEach((t, i) => expected.set(stubVector(t, { role: 'passage' }, DIM), i * DIM));
const embedAll = (spec: string) => {
  const e = createOpenAIEmbedder(spec);
  return { e, m: embedTexts(e, texts, { role: 'passage', batchSize: 5, progress: silentProgress, label: 'passages' }) };
};
const same = (a: Float32Array, b: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

describe('openai: over several servers', () => {
  let fast: Server;
  let slow: Server;
  beforeAll(async () => {
    fast = await startServer(2);
    slow = await startServer(25);
  });
  afterAll(async () => {
    await fast.close();
    await slow.close();
  });

  test('two servers: the bytes of one server, both used, at most `concurrency` in flight, the faster one busier', async () => {
    fleet.peak = 0;
    const { e, m } = embedAll(`openai:${fast.url},${slow.url}#m?dim=${DIM}&concurrency=3`);
    expect(e.maxInFlight).toBe(3);
    const got = await m;
    expect(same(got.data, expected)).toBe(true);
    expect(fleet.peak).toBe(3);
    expect(e.stats().peakInFlight).toBe(3);
    expect(e.stats().requests).toBe(60);
    expect(fast.requests + slow.requests).toBe(60);
    // The least busy server takes each request: the slow one (25 ms vs 2 ms) is more often still busy.
    expect(slow.requests).toBeGreaterThan(0);
    expect(fast.requests).toBeGreaterThan(slow.requests);

    const single = embedAll(`openai:${fast.url}#m?dim=${DIM}&concurrency=1`);
    expect(same((await single.m).data, got.data)).toBe(true);
    expect(single.e.stats().peakInFlight).toBe(1);
  });

  test('the default: four requests per server in flight, at least 4', async () => {
    const urls = [fast.url, slow.url, fast.url].join(',');
    expect(createOpenAIEmbedder(`openai:${fast.url}#m`).maxInFlight).toBe(4);
    expect(createOpenAIEmbedder(`openai:${fast.url},${slow.url}#m`).maxInFlight).toBe(8);
    expect(createOpenAIEmbedder(`openai:${urls}#m`).maxInFlight).toBe(12);
    fleet.peak = 0;
    const { e, m } = embedAll(`openai:${urls}#m?dim=${DIM}`);
    expect(same((await m).data, expected)).toBe(true);
    expect(fleet.peak).toBeLessThanOrEqual(12);
    expect(e.stats().peakInFlight).toBe(12);
  });

  test('a refusal in flight is E_NETWORK naming the server; no request starts after it', async () => {
    const refusing = await startServer(3, 4);
    try {
      const { e, m } = embedAll(`openai:${refusing.url},${slow.url}#m?dim=${DIM}&retries=0`);
      const err = await m.catch((x: unknown) => x);
      expect(err).toBeInstanceOf(MtebError);
      expect(err).toMatchObject({ code: 'E_NETWORK', message: `HTTP 400 from ${refusing.url}/v1/embeddings: {"error":{"message":"input too long"}}` });
      const sent = e.stats().requests;
      await new Promise((r) => setTimeout(r, 60));
      expect(e.stats().requests).toBe(sent);
      expect(sent).toBeLessThan(60);
    } finally {
      await refusing.close();
    }
  });

  test('a URL list is checked when the spec is read', () => {
    expect(() => createOpenAIEmbedder(`openai:${fast.url},ftp://x#m`)).toThrow(/must be http:\/\/ or https:\/\//);
    expect(() => createOpenAIEmbedder(`openai:${fast.url},not a url#m`)).toThrow(/is not a valid URL/);
  });

  test('concurrency is 1..256, checked when the spec is read', () => {
    for (const bad of ['0', '257', '99999999999']) {
      expect(() => createOpenAIEmbedder(`openai:${fast.url}#m?concurrency=${bad}`)).toThrow(
        new MtebError('E_MODEL_SPEC', `option concurrency=${bad} must be between 1 and 256 (requests in flight over all URLs; default 4 per URL, at least 4)`),
      );
    }
    expect(createOpenAIEmbedder(`openai:${fast.url}#m?concurrency=256`).maxInFlight).toBe(256);
  });
});
