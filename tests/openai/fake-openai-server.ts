/**
 * A stand-in for an OpenAI-style embeddings API, started in-process on a free port: `POST /v1/embeddings`
 * answers exactly as api.openai.com shapes it (`{object: 'list', data: [{object: 'embedding', index, embedding}],
 * model, usage}`), float or base64 per `encoding_format`, with the `data` items in reverse order (the API
 * promises `index`, not order). Vectors come from `stubVector`, so a test knows every expected value.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Role } from '../../src/core/embedder.js';
import { stubVector } from '../cache/stub-embedder.js';

export interface FakeOpenAIServer {
  url: string;
  /** Request bodies received, parsed. */
  requests: Array<{ input: string[]; model?: string; encoding_format?: string; input_type?: Role; instruction?: string }>;
  close(): Promise<void>;
}

export async function startFakeOpenAIServer(dim: number): Promise<FakeOpenAIServer> {
  const requests: FakeOpenAIServer['requests'] = [];
  const server = http.createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/v1/embeddings') {
        res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'not found', type: 'invalid_request_error' } }));
        return;
      }
      const body = JSON.parse(Buffer.concat(parts).toString('utf8'));
      requests.push(body);
      const input: string[] = Array.isArray(body.input) ? body.input : [body.input];
      const data = input.map((text, index) => {
        const v = stubVector(text, { role: body.input_type ?? 'passage', instruction: body.instruction }, dim);
        const embedding = body.encoding_format === 'base64' ? Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64') : Array.from(v);
        return { object: 'embedding', index, embedding };
      });
      const tokens = input.reduce((a, t) => a + Math.ceil(t.length / 4), 0);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ object: 'list', data: data.reverse(), model: body.model, usage: { prompt_tokens: tokens, total_tokens: tokens } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
