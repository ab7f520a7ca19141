/**
 * Retrieval metrics: our evaluator vs trec_eval on the same TREC files.
 *
 *   node bin/run-ts.js bench/retrieval-metrics/run.ts [--queries 10000] [--docs 1000] [--trec-eval /tmp/trec_eval/trec_eval]
 *
 * Generates a run of queries x docs lines and qrels (1–8 judged docs per query, graded 0–3, about a third of
 * them retrieved), times `trec_eval -m ndcg_cut.K -m map_cut.K -m recall.K -m P.K -m success.K` (K = mteb's
 * cutoffs) against reading the same files and computing the same measures here (wall clock, both including
 * file parsing), checks that the means agree, and writes bench/retrieval-metrics/result.json.
 * trec_eval's "all" line prints 4 decimals, so agreement is checked to 5e-5 unless the full-precision build
 * from fixtures/golden/retrieval/make_goldens.py (/tmp/trec_eval_full/trec_eval) is found, then to 1e-9.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { evaluateRetrieval } from '../../src/metrics/retrieval/evaluate.js';
import { parseTrecQrels, parseTrecRun } from '../../src/metrics/retrieval/readers.js';
import { mulberry32 } from '../../src/util/mulberry32.js';

const K = [1, 3, 5, 10, 20, 100, 1000];

function arg(name: string, def: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : def;
}

const rng = mulberry32;

function writeLines(path: string, gen: (push: (s: string) => void) => void): void {
  const fd = openSync(path, 'w');
  let buf: string[] = [];
  let size = 0;
  const flush = () => {
    writeSync(fd, buf.join(''));
    buf = [];
    size = 0;
  };
  gen((s) => {
    buf.push(s);
    size += s.length;
    if (size > 1 << 22) flush();
  });
  flush();
  closeSync(fd);
}

async function main(): Promise<void> {
  const nq = Number(arg('queries', '10000'));
  const nd = Number(arg('docs', '1000'));
  const full = '/tmp/trec_eval_full/trec_eval';
  const plain = '/tmp/trec_eval/trec_eval';
  const trecEval = arg('trec-eval', existsSync(full) ? full : plain);
  const dir = mkdtempSync(join(tmpdir(), 'bench-retrieval-'));
  const qrelsPath = join(dir, 'qrels');
  const runPath = join(dir, 'run');
  const corpus = 1_000_000;
  try {
    process.stderr.write(`generating ${nq} queries x ${nd} docs in ${dir}\n`);
    const r = rng(42);
    const judged: string[][] = [];
    writeLines(runPath, (push) => {
      for (let q = 0; q < nq; q++) {
        const seen = new Set<number>();
        const docs: number[] = [];
        while (docs.length < nd) {
          const d = Math.floor(r() * corpus);
          if (!seen.has(d)) {
            seen.add(d);
            docs.push(d);
          }
        }
        const j: string[] = [];
        const nj = 1 + Math.floor(r() * 8);
        for (let i = 0; i < nj; i++) j.push(`d${r() < 0.35 ? docs[Math.floor(r() * nd)] : Math.floor(r() * corpus)}`);
        judged.push([...new Set(j)]);
        // scores on a coarse grid so float ties (and the doc id tie-break) occur
        const scores = docs.map(() => Math.round(r() * 20000) / 20000);
        const order = docs.map((_, i) => i).sort((a, b) => scores[b] - scores[a]);
        order.forEach((i, rank) => push(`q${q} Q0 d${docs[i]} ${rank + 1} ${scores[i]} bench\n`));
      }
    });
    writeLines(qrelsPath, (push) => {
      judged.forEach((docs, q) => docs.forEach((d) => push(`q${q} 0 ${d} ${Math.floor(r() * 4)}\n`)));
    });

    // CPU time as well as wall time: the shared benchmark machine is often loaded, which skews wall time.
    const cpu = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1e6;
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const qrels = parseTrecQrels(qrelsPath);
    const run = parseTrecRun(runPath);
    const tRead = performance.now();
    const cRead = process.cpuUsage(c0);
    const res = evaluateRetrieval(qrels, run, { protocol: 'mteb-2', kValues: K, nauc: false });
    const tOurs = performance.now();
    const cOurs = process.cpuUsage(c0);
    const ours = {
      read_s: (tRead - t0) / 1000,
      eval_s: (tOurs - tRead) / 1000,
      total_s: (tOurs - t0) / 1000,
      read_cpu_s: cpu(cRead),
      total_cpu_s: cpu(cOurs),
    };
    process.stderr.write(
      `ours: read ${ours.read_s.toFixed(2)} s + evaluate ${ours.eval_s.toFixed(2)} s wall; ${ours.total_cpu_s.toFixed(2)} s CPU\n`,
    );
    const tN = performance.now();
    evaluateRetrieval(qrels, run, { protocol: 'mteb-2', kValues: K });
    const naucS = (performance.now() - tN) / 1000;

    const result: Record<string, unknown> = {
      queries: nq,
      docs_per_query: nd,
      run_lines: nq * nd,
      ours,
      ours_eval_with_mrr_and_nauc_s: naucS,
      machine: { nproc: cpus().length, cpu: cpus()[0]?.model ?? 'unknown', node: process.version },
    };
    if (!existsSync(trecEval)) {
      process.stderr.write(`trec_eval not found at ${trecEval}: skipping the comparison (build it, see make_goldens.py)\n`);
    } else {
      const args: string[] = [];
      for (const m of ['ndcg_cut', 'map_cut', 'recall', 'P', 'success']) args.push('-m', `${m}.${K.join(',')}`);
      const outFile = join(dir, 'trec_eval.out');
      const t1 = performance.now();
      // bash's `time` gives the child's user+system CPU seconds
      const p = spawnSync('bash', ['-c', 'TIMEFORMAT="%3U %3S"; time "$0" "$@" > "$OUT"', trecEval, ...args, qrelsPath, runPath], {
        encoding: 'utf8',
        env: { ...process.env, OUT: outFile },
      });
      const trecS = (performance.now() - t1) / 1000;
      if (p.status !== 0) throw new Error(`trec_eval failed: ${p.stderr}`);
      const [u, sys] = p.stderr.trim().split('\n').pop()!.split(' ').map(Number);
      const trecCpu = u + sys;
      const all: Record<string, number> = {};
      for (const line of readFileSync(outFile, 'utf8').split('\n')) {
        const [name, qid, v] = line.split('\t');
        if (qid === 'all') all[name.trim()] = Number(v);
      }
      const tol = trecEval === full ? 1e-9 : 5e-5;
      let maxDiff = 0;
      const names: [string, string][] = [
        ['ndcg_cut', 'ndcg'],
        ['map_cut', 'map'],
        ['recall', 'recall'],
        ['P', 'precision'],
        ['success', 'hit_rate'],
      ];
      for (const [t, o] of names) {
        for (const k of K) {
          let s = 0;
          for (const rec of res.perQuery.values()) s += rec[`${o}_at_${k}`];
          maxDiff = Math.max(maxDiff, Math.abs(s / res.perQuery.size - all[`${t}_${k}`]));
        }
      }
      const equal = maxDiff <= tol;
      process.stderr.write(
        `trec_eval: ${trecS.toFixed(2)} s wall, ${trecCpu.toFixed(2)} s CPU; max |mean diff| ${maxDiff.toExponential(2)} (tol ${tol})\n`,
      );
      Object.assign(result, {
        trec_eval: { binary: trecEval, total_s: trecS, total_cpu_s: trecCpu },
        speedup_vs_trec_eval_wall: trecS / ours.total_s,
        speedup_vs_trec_eval_cpu: trecCpu / ours.total_cpu_s,
        max_mean_diff: maxDiff,
        tolerance: tol,
        values_equal: equal,
      });
      if (!equal) process.exitCode = 1;
    }
    const outPath = join(dirname(fileURLToPath(import.meta.url)), 'result.json');
    writeFileSync(outPath + '.tmp', JSON.stringify(result, null, 2) + '\n');
    renameSync(outPath + '.tmp', outPath);
    process.stdout.write(JSON.stringify(result, null, 2) + '\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
