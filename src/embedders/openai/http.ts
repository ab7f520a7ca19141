import http from 'node:http';
import https from 'node:https';

export interface HttpResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

const agents = {
  http: new http.Agent({ keepAlive: true, maxSockets: 64 }),
  https: new https.Agent({ keepAlive: true, maxSockets: 64 }),
};

/** Marks failures worth another try: timeouts, resets, refused connections, truncated bodies. */
export class TransientError extends Error {}

/** One POST with a hard deadline covering connect, upload and the whole response body. */
export function postJson(url: string, body: string, headers: Record<string, string>, timeoutMs: number): Promise<HttpResponse> {
  const u = new URL(url);
  const mod = u.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    let settled = false;
    const done = (f: () => void) => {
      if (!settled) {
        settled = true;
        clearTimeout(timer);
        f();
      }
    };
    const req = mod.request(
      u,
      {
        method: 'POST',
        agent: u.protocol === 'https:' ? agents.https : agents.http,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers },
      },
      (res) => {
        const parts: Buffer[] = [];
        res.on('data', (d: Buffer) => parts.push(d));
        res.on('end', () => done(() => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(parts).toString('utf8') })));
        res.on('aborted', () => done(() => reject(new TransientError('connection closed mid-response'))));
        res.on('error', (e) => done(() => reject(new TransientError(`response error: ${e.message}`))));
      },
    );
    const timer = setTimeout(() => {
      done(() => reject(new TransientError(`no complete response within ${timeoutMs} ms`)));
      req.destroy();
    }, timeoutMs);
    req.on('error', (e: NodeJS.ErrnoException) => done(() => reject(new TransientError(`${e.code ?? 'error'}: ${e.message}`))));
    req.end(body);
  });
}
