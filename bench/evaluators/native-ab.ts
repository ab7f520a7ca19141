/**
 * Classification with the native dense64 kernels against the same fits with MTEB_TS_NATIVE=0 (the WebAssembly
 * kernels) and against scikit-learn: runs `run.ts --only classification` once per shape and mode, each in its own
 * process (so each mode loads its kernels fresh), the modes alternating and their order flipped every round, and
 * summarises the medians and each run's own ratio against the scikit-learn run that followed it (the pairing
 * matters on a shared machine, where scikit-learn's wall time moves with the other load).
 *
 *   node bin/run-ts.js bench/evaluators/native-ab.ts [--rounds 3] [--shapes banking77,massive,banking77-4096]
 *     [--native-level avx2] [--json out.json]
 *
 * `--native-level avx2` runs the native side on its AVX2 path (MTEB_TS_NATIVE=avx2): with OPENBLAS_CORETYPE=Haswell
 * exported, scikit-learn's OpenBLAS also runs its AVX2 kernels, which is what a CPU without AVX-512 gives both.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import os from 'node:os';

const arg = (name: string) => (process.argv.indexOf(name) > 0 ? process.argv[process.argv.indexOf(name) + 1] : undefined);
const rounds = Number(arg('--rounds') ?? 3);
const shapes = (arg('--shapes') ?? 'banking77,massive,banking77-4096').split(',');
const modes = ['native', 'wasm'] as const;
const nativeSetting = arg('--native-level') === 'avx2' ? 'avx2' : '1';

interface Row {
  round: number;
  mode: (typeof modes)[number];
  shape: string;
  [k: string]: unknown;
}
const runs: Row[] = [];
for (let round = 1; round <= rounds; round++) {
  for (const shape of shapes) {
    for (const mode of round % 2 ? modes : [...modes].reverse()) {
      process.stderr.write(`${new Date().toISOString()} round ${round} ${shape} ${mode} load ${os.loadavg()[0].toFixed(2)}\n`);
      const out = execFileSync(process.execPath, ['bin/run-ts.js', 'bench/evaluators/run.ts', '--only', 'classification', '--classification-shapes', shape], {
        env: { ...process.env, MTEB_TS_NATIVE: mode === 'native' ? nativeSetting : '0' },
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'inherit'],
        maxBuffer: 1 << 26,
      });
      for (const r of JSON.parse(out).results) runs.push({ ...r, shape_detail: r.shape, round, mode, shape });
    }
  }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const summary: Record<string, unknown> = {};
for (const shape of shapes) {
  const of = (mode: string) => runs.filter((r) => r.shape === shape && r.mode === mode);
  const side = (mode: string) => {
    const rs = of(mode);
    return {
      kernels: [...new Set(rs.map((r) => r.dense64_kernels))],
      ours_wall: median(rs.map((r) => Number(r.ours_s))),
      ours_cpu: median(rs.map((r) => Number(r.ours_cpu_s))),
      ratio_wall_per_run: rs.map((r) => Number(r.ratio)),
      ratio_cpu_per_run: rs.map((r) => Number(r.cpu_ratio)),
      ratio_wall_median: median(rs.map((r) => Number(r.ratio))),
      ratio_cpu_median: median(rs.map((r) => Number(r.cpu_ratio))),
      iterations: [...new Set(rs.map((r) => `${r.n_iter}/${r.python_n_iter}`))],
      predictions_sha256: [...new Set(rs.map((r) => r.predictions_sha256))],
      predictions_equal_sklearn: rs.every((r) => r.python_predictions_equal === true),
      load_avg_1m: rs.map((r) => r.load_avg_1m),
    };
  };
  const all = runs.filter((r) => r.shape === shape);
  const native = side('native');
  const wasm = side('wasm');
  summary[shape] = {
    native,
    wasm,
    sklearn: { wall: median(all.map((r) => Number(r.python_s))), cpu: median(all.map((r) => Number(r.python_cpu_s))) },
    native_vs_wasm: { wall: native.ours_wall / wasm.ours_wall, cpu: native.ours_cpu / wasm.ours_cpu },
    same_predictions_both_modes: native.predictions_sha256.length === 1 && wasm.predictions_sha256.length === 1 && native.predictions_sha256[0] === wasm.predictions_sha256[0],
  };
}
const report = { command: process.argv.slice(1).join(' '), openblas_coretype: process.env.OPENBLAS_CORETYPE ?? null, date: new Date().toISOString(), machine: `${os.cpus()[0]?.model} x ${os.availableParallelism()}`, node: process.version, summary, runs };
if (arg('--json')) writeFileSync(arg('--json')!, JSON.stringify(report, null, 1) + '\n');
process.stdout.write(JSON.stringify(summary, null, 1) + '\n');
