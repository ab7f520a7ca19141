/**
 * Does `run` keep the embedder busy? A BEIR-shaped retrieval task (make-task.ts: 100k documents, lognormal
 * lengths, 1k queries) goes through the real `mteb-ts run` (src/cli/main.ts in this process: data loading,
 * embedding cache, exact search, result files) against fake OpenAI-style servers in another process
 * (fake-server.ts: one lane each, a fixed time per token, busy intervals recorded by the servers).
 *
 * busy = |union of the intervals in which at least one server was serving| / the run's wall time (main() from
 * call to return). Each server count runs twice on the same data and machine: `?concurrency=1` (one request
 * at a time: what `run` did before, one batch awaited after another) and the default (4 requests per server in
 * flight). The scores of every run must be the same bytes.
 *
 * Run: node bin/run-ts.js bench/pipeline/busy.ts [--docs 20000] [--queries 1000] [--us-per-token 30] [--dim 256]
 *      [--servers 1,4] [--modes sequential,pipelined] [--concurrency N] [--no-warm-up] [--out bench/pipeline/results.json]
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { main } from '../../src/cli/main.js';
import { parsePythonJson } from '../../src/output/python-json.js';
import { DEFAULT_SHAPE, makeRetrievalTask } from './make-task.js';

function flag(name: string, dflt: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : dflt;
}
// 20k documents by default (a few minutes on a loaded 2-core machine); --docs 100000 for the issue's shape.
const docs = Number(flag('docs', '20000'));
const queries = Number(flag('queries', String(DEFAULT_SHAPE.queries)));
// 30 µs per token per server = 33k tokens/s: NV-Embed-v2 under the PyTorch runner on one H100 (docs/BENCHMARKS.md).
const usPerToken = Number(flag('us-per-token', '30'));
const dim = Number(flag('dim', '256'));
const serverCounts = flag('servers', '1,4').split(',').map(Number);
// `--modes pipelined` skips the sequential baseline (a second rate after a run that had both).
const modes = flag('modes', 'sequential,pipelined').split(',') as ('sequential' | 'pipelined')[];
const outFile = flag('out', '');
// Requests in flight of the pipelined runs (`&concurrency=`); default: the openai: client's own default.
const concurrency = flag('concurrency', '');
// One small unrecorded run first, so that no measured run pays for loading the code (through tsx, on the fly:
// not what users run, and `run`'s start-up is measured on its own: "CLI start-up" in docs/BENCHMARKS.md).
const warmUp = !process.argv.includes('--no-warm-up');
const keep = process.argv.includes('--keep');

interface Servers {
  ports: number[];
  busy(): Promise<[number, number][][]>;
  stop(): void;
}

async function startServers(n: number): Promise<Servers> {
  const child = spawn(process.execPath, ['bin/run-ts.js', 'bench/pipeline/fake-server.ts', '--servers', String(n), '--us-per-token', String(usPerToken), '--dim', String(dim)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const first = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (c) => reject(new Error(`fake servers exited with ${c}`)));
  });
  const ports = (JSON.parse(first) as { ports: number[] }).ports;
  const get = (port: number) =>
    new Promise<[number, number][]>((resolve, reject) =>
      http
        .get({ host: '127.0.0.1', port, path: '/busy', agent: false }, (res) => {
          const parts: Buffer[] = [];
          res.on('data', (d: Buffer) => parts.push(d));
          res.on('end', () => resolve(JSON.parse(Buffer.concat(parts).toString('utf8'))));
        })
        .on('error', reject),
    );
  return { ports, busy: () => Promise.all(ports.map(get)), stop: () => child.stdin!.end() };
}

/** The union of intervals clipped to [t0, t1], as disjoint ascending intervals. */
function union(intervals: [number, number][], t0: number, t1: number): [number, number][] {
  const xs = intervals.map(([a, b]) => [Math.max(a, t0), Math.min(b, t1)] as [number, number]).filter(([a, b]) => b > a).sort((p, q) => p[0] - q[0]);
  const out: [number, number][] = [];
  for (const x of xs) {
    const cur = out[out.length - 1];
    if (cur && x[0] <= cur[1]) cur[1] = Math.max(cur[1], x[1]);
    else out.push([x[0], x[1]]);
  }
  return out;
}

/** Total length of the union of intervals, clipped to [t0, t1]. */
function unionLength(intervals: [number, number][], t0: number, t1: number): number {
  return union(intervals, t0, t1).reduce((a, [x, y]) => a + y - x, 0);
}

/** The idle gaps (no server serving) between the first request and the last response, longest first. */
function idleGaps(intervals: [number, number][], t0: number): { at_s: number; ms: number }[] {
  const u = union(intervals, -Infinity, Infinity);
  const gaps: { at_s: number; ms: number }[] = [];
  for (let i = 1; i < u.length; i++) gaps.push({ at_s: +((u[i - 1][1] - t0) / 1000).toFixed(2), ms: +(u[i][0] - u[i - 1][1]).toFixed(1) });
  return gaps.sort((a, b) => b.ms - a.ms);
}

const now = () => performance.timeOrigin + performance.now();
const work = mkdtempSync(path.join(os.tmpdir(), 'mteb-busy-'));
try {
  const tg = performance.now();
  const task = await makeRetrievalTask(path.join(work, 'task'), { ...DEFAULT_SHAPE, docs, queries });
  const generateS = (performance.now() - tg) / 1000;
  if (warmUp) {
    const small = await makeRetrievalTask(path.join(work, 'warm-up'), { ...DEFAULT_SHAPE, docs: 2000, queries });
    const servers = await startServers(1);
    const write = process.stdout.write;
    process.stdout.write = (() => true) as typeof process.stdout.write;
    try {
      const spec = `openai:http://127.0.0.1:${servers.ports[0]}#bench/fake?dim=${dim}&encoding=base64&ext=none`;
      const code = await main(['run', '-m', spec, '-t', small.taskFile, '-o', path.join(work, 'out-warm-up'), '--cache-dir', path.join(work, 'cache-warm-up'), '--quiet']);
      if (code !== 0) throw new Error(`the warm-up run exited with ${code}`);
    } finally {
      process.stdout.write = write;
      servers.stop();
    }
  }
  const runs: Record<string, unknown>[] = [];
  let scores: string | undefined;
  let result0: { scores: unknown } | undefined;
  for (const n of serverCounts) {
    for (const mode of modes) {
      const servers = await startServers(n);
      const label = `${n}-${mode}`;
      const out = path.join(work, `out-${label}`);
      const urls = servers.ports.map((p) => `http://127.0.0.1:${p}`).join(',');
      const spec = `openai:${urls}#bench/fake?dim=${dim}&encoding=base64&ext=none${mode === 'sequential' ? '&concurrency=1' : concurrency ? `&concurrency=${concurrency}` : ''}`;
      const argv = ['run', '-m', spec, '-t', task.taskFile, '-o', out, '--cache-dir', path.join(work, `cache-${label}`), '--quiet'];
      // The run's summary table would interleave with this script's output.
      const write = process.stdout.write;
      process.stdout.write = (() => true) as typeof process.stdout.write;
      // Main-thread stalls: a 10 ms timer that fires late means the client's event loop was busy (search, parsing,
      // JSON) and could neither send requests nor take responses for that long.
      const stalls: { at_s: number; ms: number }[] = [];
      const loadBefore = os.loadavg()[0];
      const t0 = now();
      let tick = t0;
      const timer = setInterval(() => {
        const t = now();
        if (t - tick > 100) stalls.push({ at_s: +((tick - t0) / 1000).toFixed(2), ms: +(t - tick).toFixed(0) });
        tick = t;
      }, 10);
      let code: number;
      try {
        code = await main(argv);
      } finally {
        process.stdout.write = write;
        clearInterval(timer);
      }
      const t1 = now();
      const perServer = await servers.busy();
      servers.stop();
      if (code !== 0) throw new Error(`run ${label} exited with ${code}`);
      const all = perServer.flat();
      const busy = unionLength(all, t0, t1);
      const wall = t1 - t0;
      const firstRequest = Math.min(...all.map(([a]) => a));
      const lastResponse = Math.max(...all.map(([, b]) => b));
      // The scores and the per-query scores (.items.json: every query's ndcg, map, recall, ... at every k) must be
      // the same bytes in every run.
      const dir = path.join(out, 'bench__fake', 'no_revision_available');
      const result = parsePythonJson(readFileSync(path.join(dir, 'BusyRetrieval.json'), 'utf8')) as { scores: unknown };
      const items = readdirSync(dir).filter((f) => f.endsWith('.items.json'));
      if (items.length !== 1) throw new Error(`run ${label}: expected one .items.json file, found ${items.join(', ')}`);
      // The evaluation id names the model spec, which differs (concurrency), so it is left out.
      const perQuery = readFileSync(path.join(dir, items[0]), 'utf8').replace(/"evaluation_id": "[^"]*"/, '');
      const s = JSON.stringify(result.scores) + createHash('sha256').update(perQuery).digest('hex');
      if (scores !== undefined && s !== scores) throw new Error(`run ${label} scored differently from the first run (${out})`);
      scores = s;
      result0 = result;
      runs.push({
        servers: n,
        mode,
        wall_s: +(wall / 1000).toFixed(2),
        busy_s: +(busy / 1000).toFixed(2),
        busy_fraction: +(busy / wall).toFixed(4),
        // Mean over the servers of each one's own busy fraction: how full every lane was, not just one.
        per_server_busy_fraction: +(perServer.reduce((a, iv) => a + unionLength(iv, t0, t1), 0) / n / wall).toFixed(4),
        requests: all.length,
        before_first_request_s: +((firstRequest - t0) / 1000).toFixed(2),
        after_last_response_s: +((t1 - lastResponse) / 1000).toFixed(2),
        // The same, from the first request to the last response: what the pipeline itself controls (loading the
        // data before and searching the last chunk after are outside any overlap with embedding).
        busy_fraction_while_embedding: +(unionLength(all, firstRequest, lastResponse) / (lastResponse - firstRequest)).toFixed(4),
        // Where the idle time inside the embedding span went: its total in gaps of >= 50 ms (no server serving),
        // and the longest gaps (seconds after the run started, milliseconds idle).
        idle_in_gaps_over_50ms_s: +(idleGaps(all, t0).filter((g) => g.ms >= 50).reduce((a, g) => a + g.ms, 0) / 1000).toFixed(2),
        longest_gaps: idleGaps(all, t0).slice(0, 8),
        // The machine's 1-minute load average when the run started and ended (other jobs share the cores).
        load_average: [+loadBefore.toFixed(1), +os.loadavg()[0].toFixed(1)],
        main_thread_stalls_over_100ms: { count: stalls.length, total_s: +(stalls.reduce((a, x) => a + x.ms, 0) / 1000).toFixed(2), longest: [...stalls].sort((a, b) => b.ms - a.ms).slice(0, 5) },
      });
      process.stderr.write(`${label}: ${JSON.stringify(runs[runs.length - 1])}\n`);
    }
  }
  const report = {
    bench: 'bench/pipeline/busy.ts',
    date: new Date().toISOString().slice(0, 10),
    machine: `${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'}), node ${process.version}, load ${os.loadavg().map((x) => x.toFixed(1)).join('/')} at the end`,
    task: { docs, queries, corpus_chars: task.corpusChars, query_chars: task.queryChars, generate_s: +generateS.toFixed(1) },
    server: { us_per_token: usPerToken, tokens: 'ceil(chars/4)', dim, lane: 'one request served at a time per server' },
    client: { batch: 32, default_concurrency: '4 per server, at least 4', pipelined_concurrency: concurrency || 'default' },
    warm_up: warmUp ? 'one unrecorded run on 2,000 documents first (code loaded)' : 'none',
    scores_identical: true,
    main_score: (result0!.scores as { test: { main_score: number }[] }).test[0].main_score,
    items_sha256: scores!.slice(-64),
    runs,
  };
  const text = JSON.stringify(report, null, 2) + '\n';
  if (outFile) writeFileSync(outFile, text);
  process.stdout.write(text);
} finally {
  if (keep) process.stderr.write(`kept ${work}\n`);
  else rmSync(work, { recursive: true, force: true });
}
