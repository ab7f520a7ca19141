// Where MiniBatchKMeans spends its time at the bench's real size (50,000 x 1,024, k = 100, batch 500): run under
// the V8 profiler and list self time per function (the breakdown quoted in docs/BENCHMARKS.md, issue 21):
//   node --cpu-prof --cpu-prof-dir=/tmp/km-prof --import tsx bench/evaluators/profile-kmeans.ts
//   node -e 'const fs=require("fs"),d="/tmp/km-prof",p=JSON.parse(fs.readFileSync(d+"/"+fs.readdirSync(d)[0]));const t=new Map(),n=new Map(p.nodes.map(x=>[x.id,x]));p.samples.forEach((s,i)=>{const f=n.get(s).callFrame,k=f.functionName+" "+f.url.split("/").pop();t.set(k,(t.get(k)||0)+(p.timeDeltas[i]||0))});[...t].sort((a,b)=>b[1]-a[1]).slice(0,12).forEach(([k,v])=>console.log((v/1e3).toFixed(0)+" ms",k))'
import { fitMiniBatchKMeans } from '../../src/metrics/clustering/minibatch-kmeans.js';
import { mulberry32 } from '../../src/util/mulberry32.js';

const [n, dim, k] = [50_000, 1024, 100];
const rnd = mulberry32(2);
const centres = Array.from({ length: k }, () => Float32Array.from({ length: dim }, () => rnd() - 0.5));
const data = new Float32Array(n * dim);
for (let i = 0; i < n; i++) {
  const c = Math.floor(rnd() * k);
  for (let j = 0; j < dim; j++) data[i * dim + j] = centres[c][j] * 0.4 + (rnd() - 0.5);
}
const t = performance.now();
const r = fitMiniBatchKMeans({ rows: n, dim, data }, { nClusters: k, batchSize: 500, seed: 42 });
console.log(`steps ${r.nSteps}, fit ${((performance.now() - t) / 1000).toFixed(2)} s`);
