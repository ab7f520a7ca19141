/**
 * Fake embedding servers for bench/pipeline/busy.ts, in their own process so the client's event loop (search,
 * JSON, cache) never delays them: `node bin/run-ts.js bench/pipeline/fake-server.ts --servers 4 --us-per-token 4
 * --dim 256`. Each is one lane, like a GPU: requests queue and are served one at a time, each taking
 * `tokens × us-per-token` µs (tokens = ceil(chars / 4), the client's own estimate) and answering OpenAI-shaped
 * deterministic vectors (a text's vector depends on its text only). The intervals in which a server was serving
 * are recorded (epoch ms, performance.timeOrigin + now()) and sent back on `GET /busy`.
 *
 * Prints one JSON line `{"ports": [...]}` on stdout when listening; exits when stdin closes.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

function arg(name: string, dflt: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
}
const servers = arg('servers', 1);
const usPerToken = arg('us-per-token', 4);
const dim = arg('dim', 256);

const now = () => performance.timeOrigin + performance.now();

/** FNV-1a of a string seeds a xorshift stream of `dim` values in [-1, 1). */
function noise(s: string): Float32Array {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  let x = h >>> 0 || 1;
  const v = new Float32Array(dim);
  for (let d = 0; d < dim; d++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    v[d] = ((x >>> 0) / 2 ** 32) * 2 - 1;
  }
  return v;
}

/**
 * The same text gives the same vector on every server: its first word's direction plus half as much of the whole
 * text's, so texts sharing a first word are near (make-task.ts starts each query with a relevant document's).
 */
function vectorOf(text: string): Float32Array {
  const v = noise(text.slice(0, text.indexOf(' ') >>> 0));
  const n = noise(text);
  for (let d = 0; d < dim; d++) v[d] += 0.5 * n[d];
  return v;
}

/** Waits until `ms` (epoch) has passed: setTimeout for the bulk, then a short spin for sub-millisecond accuracy. */
async function until(ms: number): Promise<void> {
  while (ms - now() > 2) await sleep(ms - now() - 1);
  while (now() < ms) await sleep(0);
}

function startOne(): Promise<{ port: number; busy: [number, number][] }> {
  const busy: [number, number][] = [];
  let lane: Promise<void> = Promise.resolve();
  const server = http.createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/busy') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(busy));
      return;
    }
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => {
      // One at a time, in arrival order: the lane is the model.
      lane = lane.then(async () => {
        const t0 = now();
        const body = JSON.parse(Buffer.concat(parts).toString('utf8')) as { input: string[] | string; encoding_format?: string; model?: string };
        const input = Array.isArray(body.input) ? body.input : [body.input];
        const tokens = input.reduce((a, t) => a + Math.ceil(t.length / 4), 0);
        const data = input.map((text, index) => {
          const v = vectorOf(text);
          const embedding = body.encoding_format === 'base64' ? Buffer.from(v.buffer).toString('base64') : Array.from(v);
          return { object: 'embedding', index, embedding };
        });
        const out = JSON.stringify({ object: 'list', data, model: body.model, usage: { prompt_tokens: tokens, total_tokens: tokens } });
        await until(t0 + (tokens * usPerToken) / 1000);
        busy.push([t0, now()]);
        res.writeHead(200, { 'content-type': 'application/json' }).end(out);
      });
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ port: (server.address() as AddressInfo).port, busy })));
}

const started = await Promise.all(Array.from({ length: servers }, startOne));
process.stdout.write(JSON.stringify({ ports: started.map((s) => s.port) }) + '\n');
process.stdin.resume();
process.stdin.on('end', () => process.exit(0));
