// CLI start-up as a user has it: the compiled bin (bin/mteb-ts.js -> dist/) for `--help` and for `report` on a
// small results folder, each as a ratio to a bare `node -e 0` measured in the same run (interleaved rounds,
// medians; wall time and the child's CPU time), so the ratio holds on a loaded or slower machine. Also
// measured, to say where the time goes: the tsx runner the bin used before the package build
// (bin/mteb-ts-dev.js), and the import of each heavy package the CLI can load.
//
// Run: node bin/run-ts.js bench/startup.ts [--rounds 11] [--no-build]   (JSON on stdout, a table on stderr)
// Builds dist/ first (scripts/build.js) unless --no-build, so it never times a stale build.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const args = process.argv.slice(2);
const flag = (name: string, dflt: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};
const ROUNDS = Number(flag('--rounds', '11'));
const ROOT = path.resolve('.');
const RESULTS = 'fixtures/results/runs/baseline'; // one model, a few tasks: start-up, not scoring, dominates

if (!args.includes('--no-build')) execFileSync(process.execPath, ['scripts/build.js', '--quiet'], { stdio: 'inherit' });
if (!existsSync(path.join(ROOT, 'dist/src/cli/main.js'))) throw new Error('dist/ is not built: run npm run build');

const node = process.execPath;
const imp = (pkg: string) => [node, '--input-type=module', '-e', `await import(${JSON.stringify(pkg)})`];
const cases: Record<string, string[]> = {
  'node -e 0': [node, '-e', '0'],
  'mteb-ts --help': [node, 'bin/mteb-ts.js', '--help'],
  'mteb-ts report': [node, 'bin/mteb-ts.js', 'report', RESULTS],
  'mteb-ts --help (tsx, bin/mteb-ts-dev.js)': [node, 'bin/mteb-ts-dev.js', '--help'],
  'import yargs': imp('yargs'),
  'import apache-arrow': imp('apache-arrow'),
  'import @huggingface/hub': imp('@huggingface/hub'),
  'import hyparquet': imp('hyparquet'),
  'import onnx-proto': imp('onnx-proto'),
  'import onnxruntime-node': imp('onnxruntime-node'),
};

// Wall time, and where GNU time exists the child's CPU time (user + sys): on a shared, loaded machine wall time
// mostly measures the queue for a core, CPU time what the start-up itself costs.
const GNU_TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
const MARK = '@@cpu ';

function once(cmd: string[]): { wall: number; cpu?: number } {
  const argv = GNU_TIME ? [GNU_TIME, '-f', `${MARK}%U %S`, ...cmd] : cmd;
  const t0 = process.hrtime.bigint();
  const r = spawnSync(argv[0], argv.slice(1), { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  const wall = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${cmd.join(' ')} exited ${r.status}: ${r.stderr}`);
  const line = r.stderr.split('\n').find((l) => l.startsWith(MARK));
  const cpu = line ? line.slice(MARK.length).split(' ').reduce((a, x) => a + Number(x) * 1000, 0) : undefined;
  return { wall, cpu };
}

const median = (xs: number[]) => {
  const s = xs.slice().sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

// one warm-up of each (file cache), then rounds interleaving every case so drift hits all of them alike
for (const c of Object.values(cases)) once(c);
const times: Record<string, { wall: number; cpu?: number }[]> = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
for (let r = 0; r < ROUNDS; r++) for (const [k, c] of Object.entries(cases)) times[k].push(once(c));

const wallOf = (k: string) => times[k].map((t) => t.wall);
const cpuOf = (k: string) => (times[k].every((t) => t.cpu !== undefined) ? times[k].map((t) => t.cpu!) : undefined);
const baseWall = median(wallOf('node -e 0'));
const baseCpu = cpuOf('node -e 0') && median(cpuOf('node -e 0')!);
const rows = Object.keys(times).map((name) => {
  const wall = wallOf(name);
  const cpu = cpuOf(name);
  return {
    name,
    medianMs: Math.round(median(wall)),
    ratioToNode: Number((median(wall) / baseWall).toFixed(2)),
    cpuMedianMs: cpu && Math.round(median(cpu)),
    cpuRatioToNode: cpu && baseCpu ? Number((median(cpu) / baseCpu).toFixed(2)) : undefined,
    roundsMs: wall.map((x) => Math.round(x)),
    roundsCpuMs: cpu?.map((x) => Math.round(x)),
  };
});
const out = {
  date: new Date().toISOString(),
  machine: `${os.cpus()[0]?.model ?? 'unknown'} x${os.availableParallelism()}, load avg ${os.loadavg()[0].toFixed(2)}`,
  node: process.version,
  rounds: ROUNDS,
  results: RESULTS,
  rows,
};
process.stdout.write(JSON.stringify(out, null, 2) + '\n');
process.stderr.write(`${'median of ' + ROUNDS + ' rounds'.padEnd(30)}      wall  ratio     cpu  ratio\n`);
for (const r of rows) {
  const cpu = r.cpuMedianMs === undefined ? '' : `  ${String(r.cpuMedianMs).padStart(6)} ms  ${r.cpuRatioToNode?.toFixed(2)}x`;
  process.stderr.write(`${r.name.padEnd(44)} ${String(r.medianMs).padStart(6)} ms  ${r.ratioToNode.toFixed(2)}x${cpu}\n`);
}
