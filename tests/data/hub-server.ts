import { createServer, type Server } from 'node:http';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { AddressInfo } from 'node:net';

export interface FakeRepo {
  revision: string;
  dir: string;
}

function files(dir: string): string[] {
  const out: string[] = [];
  const rec = (d: string) => {
    for (const n of readdirSync(d).sort()) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) rec(p);
      else out.push(relative(dir, p).split(sep).join('/'));
    }
  };
  rec(dir);
  return out;
}

/**
 * A stand-in for the hub on 127.0.0.1 with the two endpoints @huggingface/hub calls: the paginated tree API
 * `/api/datasets/<org>/<name>/tree/<rev>` (2 entries per page, `Link: <next>; rel="next"`) and
 * `/datasets/<org>/<name>/resolve/<rev>/<path>` (Range requests answered 206 with Content-Range and ETag).
 */
export async function startHubServer(repos: Record<string, FakeRepo>): Promise<{ url: string; requests: string[]; close: () => Promise<void> }> {
  const requests: string[] = [];
  let base = '';
  const server: Server = createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://x');
    requests.push(`${req.method} ${u.pathname}${req.headers.range ? ` [${req.headers.range}]` : ''}`);
    const notFound = (code: string) => {
      res.writeHead(404, { 'X-Error-Code': code, 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ error: code }));
    };
    let m = /^\/api\/datasets\/([^/]+\/[^/]+)\/tree\/([^/]+)$/.exec(u.pathname);
    if (m) {
      const repo = repos[m[1]];
      if (!repo) return notFound('RepoNotFound');
      if (decodeURIComponent(m[2]) !== repo.revision) return notFound('RevisionNotFound');
      const all = files(repo.dir).map((p) => ({ type: 'file', path: p, size: statSync(join(repo.dir, p)).size, oid: 'x' }));
      const page = Number(u.searchParams.get('page') ?? '0');
      const items = all.slice(page * 2, page * 2 + 2);
      const headers: Record<string, string> = { 'Content-Type': 'application/json' };
      if ((page + 1) * 2 < all.length) {
        const next = new URL(`${base}${u.pathname}${u.search}`);
        next.searchParams.set('page', String(page + 1));
        headers.Link = `<${next.href}>; rel="next"`;
      }
      res.writeHead(200, headers);
      return res.end(JSON.stringify(items));
    }
    m = /^\/datasets\/([^/]+\/[^/]+)\/resolve\/([^/]+)\/(.+)$/.exec(u.pathname);
    if (m) {
      const repo = repos[m[1]];
      if (!repo) return notFound('RepoNotFound');
      if (decodeURIComponent(m[2]) !== repo.revision) return notFound('RevisionNotFound');
      let body: Buffer;
      try {
        body = readFileSync(join(repo.dir, ...decodeURIComponent(m[3]).split('/')));
      } catch {
        return notFound('EntryNotFound');
      }
      const etag = `"${body.length}-${m[3]}"`;
      const range = /^bytes=(\d+)-(\d+)$/.exec(String(req.headers.range ?? ''));
      if (range) {
        const a = Number(range[1]);
        const b = Math.min(Number(range[2]), body.length - 1);
        res.writeHead(206, { 'Content-Range': `bytes ${a}-${b}/${body.length}`, ETag: etag, 'Content-Length': String(b - a + 1) });
        return res.end(body.subarray(a, b + 1));
      }
      res.writeHead(200, { ETag: etag, 'Content-Length': String(body.length) });
      return res.end(body);
    }
    notFound('NotFound');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url: base, requests, close: () => new Promise<void>((r) => server.close(() => r())) };
}
