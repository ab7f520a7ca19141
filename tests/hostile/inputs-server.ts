import { readdirSync, statSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A fake OpenAI-style `POST /v1/embeddings` server on 127.0.0.1 whose answer is built by `reply` from the
 * request's input texts: a test states the exact (hostile) response body it wants. Every request's body and
 * Authorization header are recorded.
 */
export async function startFakeEmbeddingServer(reply: (input: string[]) => { status?: number; body: string }) {
  const requests: { body: any; authorization?: string }[] = [];
  const server = http.createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (d: Buffer) => parts.push(d));
    req.on('end', () => {
      let body: any = {};
      try {
        body = JSON.parse(Buffer.concat(parts).toString('utf8'));
      } catch {
        /* recorded as {} */
      }
      requests.push({ body, authorization: req.headers.authorization });
      const r = reply(Array.isArray(body.input) ? body.input : []);
      res.writeHead(r.status ?? 200, { 'content-type': 'application/json' });
      res.end(r.body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** A well-formed response: vector i = [i+1, 0.5, -0.25] for each input. */
export function goodData(n: number): { embedding: number[]; index: number; object: string }[] {
  return Array.from({ length: n }, (_, i) => ({ object: 'embedding', index: i, embedding: [i + 1, 0.5, -0.25] }));
}

export function responseBody(data: unknown[]): string {
  return JSON.stringify({ object: 'list', data, model: 'm' });
}

/** Lists every file (relative path, size, mtime) under `dir`, to prove a run changed nothing outside its output folder. */
export function snapshotTree(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string, rel: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = `${d}/${e.name}`;
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        out.push(`${r}/`);
        walk(p, r);
      } else {
        const st = statSync(p);
        out.push(`${r} ${st.size} ${st.mtimeMs}`);
      }
    }
  };
  walk(dir, '');
  return out.sort();
}
