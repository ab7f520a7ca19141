// `report` over the whole official results repository (embeddings-benchmark/results, ~105,000 files), as a ratio
// to reading the same files once: the baseline lists the model folders (the same discovery) and reads +
// JSON.parses every result file of the benchmark's tasks (and the CQADupstack forums) in every folder, nothing
// else. Each measurement is its own child process (fresh heap, its own peak RSS); baseline and report rounds
// are interleaved and the medians compared, so the ratio holds on a loaded machine where absolute times do not.
//
// Run: node bin/run-ts.js bench/reports/whole-repo.ts RESULTS_ROOT [--benchmark "MTEB(eng, v1)"] [--rounds 3]
//   RESULTS_ROOT: a checkout of the results repository's results/ folder (not committed: 2 GB). JSON on stdout,
//   a summary on stderr; docs/BENCHMARKS.md ("Reports over the whole results repository") records a run.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { discoverLayers } from '../../src/results/discover.js';
import { buildLeaderboard } from '../../src/leaderboard/build.js';
import { CQADUPSTACK_FORUMS, getBenchmarkRules } from '../../src/leaderboard/rules.js';
import { renderReport } from '../../reports/index.js';

const args = process.argv.slice(2);
const flag = (name: string, dflt: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};
const ROOT = args.find((a, i) => !a.startsWith('--') && !args[i - 1]?.startsWith('--'));
const BENCH = flag('--benchmark', 'MTEB(eng, v1)');
const ROUNDS = Number(flag('--rounds', '3'));
const CHILD = flag('--child', '');
if (!ROOT) throw new Error('usage: node bin/run-ts.js bench/reports/whole-repo.ts RESULTS_ROOT [--benchmark B] [--rounds N]');

/** ms: wall time; cpuMs: user + system CPU time of the child (steadier than wall time on a shared machine). */
interface Sample { ms: number; cpuMs: number; rssMB: number; files?: number; mb?: number; models?: number }

const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** The baseline: discovery + read + JSON.parse of every selected file, once. */
function baseline(): Sample {
  const t0 = performance.now();
  const c0 = cpuMs();
  const bench = getBenchmarkRules(BENCH);
  const names = new Set([...bench.tasks.map((t) => t.name), ...bench.tasks.flatMap((t) => t.aggregateOf ?? []), ...CQADUPSTACK_FORUMS]);
  let files = 0;
  let bytes = 0;
  for (const layer of discoverLayers(ROOT!)) {
    for (const [task, file] of layer.files) {
      if (!names.has(task)) continue;
      const text = readFileSync(file, 'utf8');
      // Python's bare NaN/Infinity tokens (routine in mteb files) made valid for JSON.parse, the cheapest way
      // (no care for such words inside strings): the baseline is the reading, not our parser.
      JSON.parse(text.includes('NaN') || text.includes('Infinity') ? text.replace(/-?Infinity|NaN/g, 'null') : text);
      files++;
      bytes += text.length;
    }
  }
  return { ms: performance.now() - t0, cpuMs: cpuMs() - c0, rssMB: process.resourceUsage().maxRSS / 1024, files, mb: bytes / 1e6 };
}

/** What `mteb-ts report ROOT -b BENCH --format json` does after start-up: build the leaderboard, render it. */
function report(): Sample {
  const t0 = performance.now();
  const c0 = cpuMs();
  const lb = buildLeaderboard([ROOT!], { benchmark: BENCH });
  renderReport(lb, 'json');
  return { ms: performance.now() - t0, cpuMs: cpuMs() - c0, rssMB: process.resourceUsage().maxRSS / 1024, models: lb.models.length };
}

if (CHILD) {
  process.stdout.write(JSON.stringify(CHILD === 'baseline' ? baseline() : report()) + '\n');
} else {
  const run = (kind: string): Sample => {
    const r = spawnSync(process.execPath, ['bin/run-ts.js', 'bench/reports/whole-repo.ts', ROOT, '--benchmark', BENCH, '--child', kind], { encoding: 'utf8', maxBuffer: 1 << 20 });
    if (r.status !== 0) throw new Error(`${kind} child failed: ${r.stderr}`);
    return JSON.parse(r.stdout.trim().split('\n').pop()!);
  };
  const load0 = os.loadavg()[0];
  const samples: Record<'baseline' | 'report', Sample[]> = { baseline: [], report: [] };
  for (let i = 0; i < ROUNDS; i++) {
    samples.baseline.push(run('baseline'));
    samples.report.push(run('report'));
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const med = (k: 'baseline' | 'report') => ({
    ms: median(samples[k].map((s) => s.ms)),
    cpuMs: median(samples[k].map((s) => s.cpuMs)),
    rssMB: median(samples[k].map((s) => s.rssMB)),
  });
  const b = med('baseline');
  const r = med('report');
  const out = {
    benchmark: BENCH,
    rounds: ROUNDS,
    files: samples.baseline[0].files,
    mb: Number(samples.baseline[0].mb!.toFixed(1)),
    models: samples.report[0].models,
    baseline: { ms: Math.round(b.ms), cpuMs: Math.round(b.cpuMs), rssMB: Math.round(b.rssMB) },
    report: { ms: Math.round(r.ms), cpuMs: Math.round(r.cpuMs), rssMB: Math.round(r.rssMB) },
    ratio: { time: Number((r.ms / b.ms).toFixed(2)), cpu: Number((r.cpuMs / b.cpuMs).toFixed(2)), rss: Number((r.rssMB / b.rssMB).toFixed(2)) },
    samples,
    machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version, loadavg1: [Number(load0.toFixed(1)), Number(os.loadavg()[0].toFixed(1))] },
  };
  process.stderr.write(`${BENCH}: ${out.files} files (${out.mb} MB), ${out.models} models; baseline ${out.baseline.ms} ms (cpu ${out.baseline.cpuMs}) / ${out.baseline.rssMB} MB, report ${out.report.ms} ms (cpu ${out.report.cpuMs}) / ${out.report.rssMB} MB; ratio time ${out.ratio.time}, cpu ${out.ratio.cpu}, rss ${out.ratio.rss} (load ${out.machine.loadavg1.join(' -> ')})\n`);
  process.stdout.write(JSON.stringify(out, null, 2) + '\n');
}
