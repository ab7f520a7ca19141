import { describe, test, expect, afterAll, beforeAll } from '@jest/globals';
import http from 'node:http';
import { startServer, type RunningServer } from '../../src/serve/server.js';
import { StubEmbedder } from '../cache/stub-embedder.js';

let server: RunningServer;
beforeAll(async () => {
  server = await startServer(new StubEmbedder(4), { port: 0 });
});
afterAll(async () => server.close());

function call(method: string, path: string, body?: string): Promise<{ status: number; json: any }> {
  return new Promise((resolve, reject) => {
    const req = http.request(server.url + path, { method, headers: { 'content-type': 'application/json' } }, (res) => {
      let t = '';
      res.on('data', (d) => (t += d));
      res.on('end', () => resolve({ status: res.statusCode!, json: JSON.parse(t) }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('mteb-ts serve', () => {
  test('health and models', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await call('GET', '/health')).toEqual({ status: 200, json: { status: 'ok', model: 'test/stub', dimension: 4 } });
    expect((await call('GET', '/v1/models')).json.data[0]).toMatchObject({ id: 'test/stub', object: 'model' });
  });

  test('embeddings: string input, role inference, base64, usage', async () => {
    const direct = await new StubEmbedder(4).embed(['hi'], { role: 'passage' });
    const r = await call('POST', '/v1/embeddings', JSON.stringify({ input: 'hi', model: 'test/stub' }));
    expect(r.status).toBe(200);
    expect(r.json.data[0].embedding).toEqual(Array.from(direct.data));
    expect(r.json.usage).toEqual({ prompt_tokens: 1, total_tokens: 1 });
    const q = await call('POST', '/v1/embeddings', JSON.stringify({ input: ['hi'], instruction: 'Find', encoding_format: 'base64' }));
    const buf = Buffer.from(q.json.data[0].embedding, 'base64');
    const v = new Float32Array(buf.buffer, buf.byteOffset, 4);
    expect(Array.from(v)).toEqual(Array.from((await new StubEmbedder(4).embed(['hi'], { role: 'query', instruction: 'Find' })).data));
  });

  test('errors are OpenAI-shaped with precise messages', async () => {
    expect(await call('POST', '/v1/embeddings', '{nope')).toEqual({ status: 400, json: { error: { message: 'request body is not valid JSON', type: 'invalid_request_error', code: 400 } } });
    expect((await call('POST', '/v1/embeddings', JSON.stringify({ input: [[1, 2]] }))).json.error.message).toMatch(/token arrays are not supported/);
    expect((await call('POST', '/v1/embeddings', JSON.stringify({ input: ['a'], input_type: 'doc' }))).status).toBe(400);
    expect((await call('GET', '/v1/embeddings')).status).toBe(405);
    expect((await call('GET', '/nope')).status).toBe(404);
  });
});
