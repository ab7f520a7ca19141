// The rescoring step alone on the issue's shape (1,000 queries x two 50,000 x 1,024 float32 chunks, random candidate
// rows, --per candidates per query in each chunk: 51 is exact search's k = 100, 513 its k = 1,000): the native
// canonical kernel reading both chunks in place (1 and 2 threads, each instruction set this CPU runs) against
// canonical.wasm (both chunks copied into its memory, then scoreBatch, 2 threads), interleaved rep by rep, the
// same bits required. Wall and process CPU (all threads), minimum and median, milliseconds.
// Run: node bin/run-ts.js bench/search/rescore-native.ts [--per 51] [--reps 7] [--similarity cosine|dot]  (JSON on stdout)
import os from 'node:os';
import { CanonicalScorer } from '../../src/search/canonical/scorer.js';
import { nativeIsas, nativeKernel } from '../../src/search/canonical/native-kernel.js';
import { pairWorkload } from './pair-workload.js';

const arg = (name: string, dflt: string) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const reps = Number(arg('--reps', '7'));
const PER = Number(arg('--per', '51'));
const sim = arg('--similarity', 'cosine') as 'cosine' | 'dot';
const { M, N, D, c1, c2, queries, total, rows, starts, counts } = pairWorkload(PER);
const variants: [string, CanonicalScorer, boolean][] = [['wasm_copy_2t', new CanonicalScorer(2, undefined), false]];
for (const isa of nativeIsas()) for (const t of [1, 2]) variants.push([`native_${isa}_${t}t`, new CanonicalScorer(t, nativeKernel(isa)), true]);
const want = new Float32Array(total);
const got = new Float32Array(total);
const loadStart = os.loadavg();
const times: Record<string, { wall: number[]; cpu: number[] }> = {};
for (let rep = 0; rep < reps; rep++) {
  for (const [name, s, inPlace] of variants) {
    const t = performance.now();
    const c0 = process.cpuUsage();
    s.setChunk(c1, D, sim, true, false, inPlace);
    s.appendResident(c2, false, inPlace);
    const out = name.startsWith('wasm') ? want : got;
    await s.scoreBatch(queries, M, rows, starts, counts, out);
    const c = process.cpuUsage(c0);
    const wall = performance.now() - t;
    if (out === got && Buffer.compare(Buffer.from(got.buffer), Buffer.from(want.buffer)) !== 0) throw new Error(`${name}: scores differ from canonical.wasm`);
    (times[name] ??= { wall: [], cpu: [] }).wall.push(wall);
    times[name].cpu.push((c.user + c.system) / 1000);
  }
}
for (const [, s] of variants) await s.close();
const med = (x: number[]) => [...x].sort((a, b) => a - b)[x.length >> 1];
const summary = Object.fromEntries(
  Object.entries(times).map(([k, v]) => [k, { wall_min_ms: Math.min(...v.wall), wall_median_ms: med(v.wall), cpu_min_ms: Math.min(...v.cpu), cpu_median_ms: med(v.cpu) }]),
);
process.stderr.write(`${total} pairs, ${sim}: ${Object.entries(summary).map(([k, v]) => `${k} ${v.wall_min_ms.toFixed(1)}/${v.wall_median_ms.toFixed(1)} ms`).join(', ')}\n`);
process.stdout.write(
  JSON.stringify({ date: new Date().toISOString(), load_average: { start: loadStart, end: os.loadavg() }, machine: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, node: process.version }, shape: { M, N: 2 * N, D, per_query: 2 * PER, pairs: total }, similarity: sim, reps, summary, raw: times }, null, 2) + '\n',
);
