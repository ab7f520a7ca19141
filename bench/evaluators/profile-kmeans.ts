// MiniBatchKMeans at the bench's real size (50,000 x 1,024, k = 100, batch 500; the bench's data recipe), alone in
// a process: for profiles and for interleaved same-machine pairs against the Python reference (issue 21).
//   node bin/run-ts.js bench/evaluators/profile-kmeans.ts [--dim 4096] [--threads N] [--products auto|off]
//        [--reps R] [--no-warm] [--save DIR]
// prints per fit: steps, wall seconds, CPU seconds (every thread), the fit's hash (labels, centres, counts,
// inertia, steps: run.ts's fit_sha256). A warm-up fit on 2,000 rows (both product paths) comes first, as in run.ts.
// --save DIR: also writes DIR/data.f32 and DIR/case.json, the input of `python3 bench/evaluators/reference.py
// DIR/case.json` (the same fit with scikit-learn). Interleaved pairs, one thread each (docs/BENCHMARKS.md):
//   for i in 1 2 3 4; do OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 /usr/bin/python3 bench/evaluators/reference.py DIR/case.json;
//     node bin/run-ts.js bench/evaluators/profile-kmeans.ts --threads 1; done
// Self time per function, under the V8 profiler (the breakdowns quoted in docs/BENCHMARKS.md):
//   node --cpu-prof --cpu-prof-dir=/tmp/km-prof --import tsx bench/evaluators/profile-kmeans.ts --no-warm
//   node -e 'const fs=require("fs"),d="/tmp/km-prof";for(const f of fs.readdirSync(d)){const p=JSON.parse(fs.readFileSync(d+"/"+f));const t=new Map(),n=new Map(p.nodes.map(x=>[x.id,x]));p.samples.forEach((s,i)=>{const c=n.get(s).callFrame,k=c.functionName+" "+c.url.split("/").pop();t.set(k,(t.get(k)||0)+(p.timeDeltas[i]||0))});console.log("==",f);[...t].sort((a,b)=>b[1]-a[1]).slice(0,12).forEach(([k,v])=>console.log((v/1e3).toFixed(0)+" ms",k))}'
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fitMiniBatchKMeans } from '../../src/metrics/clustering/minibatch-kmeans.js';
import { labelled } from './labelled.js';

const arg = (name: string) => (process.argv.indexOf(name) > 0 ? process.argv[process.argv.indexOf(name) + 1] : undefined);
const [n, dim, k] = [50_000, Number(arg('--dim') ?? 1024), 100];
const threads = arg('--threads') ? Number(arg('--threads')) : undefined;
const products = (arg('--products') ?? 'auto') as 'auto' | 'off';
const reps = Number(arg('--reps') ?? 1);
// run.ts's clustering rows
const { data } = labelled(n, dim, k, 2);
const save = arg('--save');
if (save) {
  mkdirSync(save, { recursive: true });
  const file = path.resolve(save, 'data.f32');
  writeFileSync(file, Buffer.from(data.buffer));
  writeFileSync(path.join(save, 'case.json'), JSON.stringify({ kind: 'clustering', data: { file, rows: n, dim }, k }));
}
if (!process.argv.includes('--no-warm')) {
  for (const p of ['auto', 'off'] as const) fitMiniBatchKMeans({ rows: 2000, dim, data: data.subarray(0, 2000 * dim) }, { nClusters: k, batchSize: 500, seed: 42, threads, products: p });
}
for (let r = 0; r < reps; r++) {
  const t = performance.now();
  const cpu0 = process.cpuUsage();
  const fit = fitMiniBatchKMeans({ rows: n, dim, data }, { nClusters: k, batchSize: 500, seed: 42, threads, products });
  const cpu = process.cpuUsage(cpu0);
  const h = createHash('sha256');
  for (const a of [fit.labels, fit.centers, fit.counts]) h.update(Buffer.from(a.buffer, a.byteOffset, a.byteLength));
  h.update(`${fit.inertia.toString(16)}|${Object.is(fit.inertia, -0)}|${fit.nSteps}|${fit.nIter}`);
  console.log(`steps ${fit.nSteps}, fit ${((performance.now() - t) / 1000).toFixed(3)} s, cpu ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s, hash ${h.digest('hex').slice(0, 8)}`);
}
