import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Embedder, Role } from '../core/embedder.js';
import { formatError, isMtebError } from '../core/errors.js';

export interface ServeOptions {
  port?: number;
  /** Default 127.0.0.1; use 0.0.0.0 only on a trusted network (there is no authentication). */
  host?: string;
  /** Largest accepted request body in bytes (default 64 MiB). */
  maxBodyBytes?: number;
  /** embed() calls run at once (default 1: a local model should see one batch at a time). */
  concurrency?: number;
  log?: (msg: string) => void;
}

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

class HttpError extends Error {
  constructor(readonly status: number, message: string, readonly type = 'invalid_request_error') {
    super(message);
  }
}

/**
 * Serves an Embedder over the OpenAI embeddings API (`POST /v1/embeddings`, `GET /v1/models`, `GET /health`),
 * so `openai:` clients elsewhere, and other tools, can share one loaded model. Extension fields:
 * `instruction` (the task instruction; the embedder applies its own template) and `input_type`
 * (`query` | `passage` | `document`; default `query` when an instruction is given, else `passage`).
 */
export async function startServer(embedder: Embedder, opts: ServeOptions = {}): Promise<RunningServer> {
  const maxBody = opts.maxBodyBytes ?? 64 * 1024 * 1024;
  const log = opts.log ?? (() => undefined);
  let running = 0;
  const waiting: (() => void)[] = [];
  const limit = Math.max(1, opts.concurrency ?? 1);
  const acquire = async () => {
    if (running >= limit) await new Promise<void>((r) => waiting.push(r));
    running++;
  };
  const release = () => {
    running--;
    waiting.shift()?.();
  };

  const server = http.createServer(async (req, res) => {
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      const text = JSON.stringify(body);
      res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
      res.end(text);
    };
    try {
      const url = new URL(req.url ?? '/', 'http://x');
      const route = url.pathname.replace(/\/+$/, '') || '/';
      if (req.method === 'GET' && route === '/health') return send(200, { status: 'ok', model: embedder.name, dimension: embedder.dimension });
      if (req.method === 'GET' && route === '/v1/models') {
        return send(200, { object: 'list', data: [{ id: embedder.name, object: 'model', created: 0, owned_by: 'mteb-ts' }] });
      }
      if (route === '/v1/embeddings' || route === '/embeddings') {
        if (req.method !== 'POST') throw new HttpError(405, 'use POST');
        const body = await readJson(req, maxBody);
        const { texts, role, instruction, encoding } = parseRequest(body);
        await acquire();
        let m;
        try {
          m = await embedder.embed(texts, { role, instruction });
        } finally {
          release();
        }
        const data = [];
        for (let i = 0; i < m.rows; i++) {
          const v = m.data.subarray(i * m.dim, (i + 1) * m.dim);
          const embedding = encoding === 'base64' ? Buffer.from(v.slice().buffer).toString('base64') : Array.from(v);
          data.push({ object: 'embedding', index: i, embedding });
        }
        const tokens = texts.reduce((s, t) => s + Math.ceil(t.length / 4), 0);
        log(`embedded ${texts.length} texts (${role})`);
        return send(200, { object: 'list', data, model: embedder.name, usage: { prompt_tokens: tokens, total_tokens: tokens } });
      }
      throw new HttpError(404, `no route ${req.method} ${url.pathname}`, 'not_found');
    } catch (e) {
      if (e instanceof HttpError) return send(e.status, { error: { message: e.message, type: e.type, code: e.status } });
      const msg = isMtebError(e) ? formatError(e) : `internal error: ${(e as Error)?.message ?? e}`;
      log(msg);
      return send(500, { error: { message: msg, type: 'server_error', code: 500 } });
    }
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 8000, opts.host ?? '127.0.0.1', () => resolve());
  });
  const addr = server.address() as AddressInfo;
  const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  return {
    url: `http://${host}:${addr.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function readJson(req: http.IncomingMessage, maxBody: number): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let size = 0;
    req.on('data', (d: Buffer) => {
      size += d.length;
      if (size > maxBody) {
        reject(new HttpError(413, `request body over ${maxBody} bytes`));
        req.destroy();
      } else parts.push(d);
    });
    req.on('end', () => {
      try {
        resolve(JSON.parse(Buffer.concat(parts).toString('utf8')));
      } catch {
        reject(new HttpError(400, 'request body is not valid JSON'));
      }
    });
    req.on('error', reject);
  });
}

function parseRequest(body: any): { texts: string[]; role: Role; instruction?: string; encoding: 'float' | 'base64' } {
  if (!body || typeof body !== 'object') throw new HttpError(400, 'request body must be a JSON object');
  const input = body.input;
  const texts = typeof input === 'string' ? [input] : input;
  if (!Array.isArray(texts) || !texts.every((t) => typeof t === 'string')) {
    throw new HttpError(400, '"input" must be a string or an array of strings (token arrays are not supported)');
  }
  const instruction = typeof body.instruction === 'string' && body.instruction ? body.instruction : undefined;
  let role: Role;
  if (body.input_type === undefined || body.input_type === null) role = instruction ? 'query' : 'passage';
  else if (body.input_type === 'query') role = 'query';
  else if (body.input_type === 'passage' || body.input_type === 'document') role = 'passage';
  else throw new HttpError(400, `"input_type" must be query, passage or document, got ${JSON.stringify(body.input_type)}`);
  const encoding = body.encoding_format ?? 'float';
  if (encoding !== 'float' && encoding !== 'base64') throw new HttpError(400, `"encoding_format" must be float or base64`);
  return { texts, role, instruction, encoding };
}
