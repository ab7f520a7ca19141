import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type Fault = 'ok' | 'slow' | '429' | '500' | '503' | 'drop' | 'malformed' | 'truncated';

/**
 * A proxy on 127.0.0.1 that applies the next fault of `script` to each incoming request (then passes requests
 * through once the script is used up): slow = answer after `slowMs`, 429 with Retry-After, 5xx, drop = close
 * the socket without answering, malformed = 200 with a non-JSON body, truncated = half a body then a reset.
 */
export async function startFaultProxy(target: string, script: Fault[], opts: { slowMs?: number; retryAfter?: string } = {}) {
  const seen: Fault[] = [];
  const queue = script.slice();
  const timers = new Set<NodeJS.Timeout>();
  const server = http.createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (d: Buffer) => parts.push(d));
    req.on('end', async () => {
      const fault = queue.shift() ?? 'ok';
      seen.push(fault);
      if (fault === 'drop') return req.socket.destroy();
      if (fault === '429') {
        res.writeHead(429, { 'retry-after': opts.retryAfter ?? '1', 'content-type': 'application/json' });
        return res.end('{"error":{"message":"rate limited"}}');
      }
      if (fault === '500' || fault === '503') {
        res.writeHead(Number(fault), { 'content-type': 'application/json' });
        return res.end('{"error":{"message":"boom"}}');
      }
      if (fault === 'malformed') {
        res.writeHead(200, { 'content-type': 'application/json' });
        return res.end('{"object":"list","data":[{"embedding":[0.1, 0.2');
      }
      const upstream = await forward(target + (req.url ?? ''), req.method ?? 'POST', Buffer.concat(parts));
      if (fault === 'truncated') {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(upstream.body.length) });
        res.write(upstream.body.subarray(0, upstream.body.length >> 1));
        return setTimeout(() => res.socket?.destroy(), 20);
      }
      const reply = () => {
        res.writeHead(upstream.status, { 'content-type': 'application/json' });
        res.end(upstream.body);
      };
      if (fault === 'slow') {
        const t = setTimeout(() => {
          timers.delete(t);
          if (!res.destroyed) reply();
        }, opts.slowMs ?? 1500);
        timers.add(t);
      } else reply();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise<void>((r) => {
        for (const t of timers) clearTimeout(t);
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

function forward(url: string, method: string, body: Buffer): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers: { 'content-type': 'application/json', 'content-length': body.length } }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (d: Buffer) => parts.push(d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(parts) }));
    });
    req.on('error', reject);
    req.end(body);
  });
}
