// One measured process: exact top-k over a .npy corpus, either loaded whole into memory ("memory") or
// streamed chunk by chunk ("stream"). Prints {"mode","peak_rss_bytes","seconds"} on stdout.
import { promises as fs } from 'node:fs';
import { ExactSearch } from '../../src/search/exact.js';
import { matrixCorpus, npyCorpus } from '../../src/search/corpus.js';

const [file, mode, nq] = process.argv.slice(2);
const ids = (n: number) => Array.from({ length: n }, (_, i) => `d${i}`);
const probe = await npyCorpus(file, [], {}).catch((e) => e);
const rows = Number(/(\d+) vectors/.exec(String(probe?.message))?.[1]);
let corpus = await npyCorpus(file, ids(rows));
const dim = corpus.dim;
if (mode === 'memory') {
  const all = new Float32Array(rows * dim);
  let o = 0;
  for await (const ch of corpus.chunks()) {
    all.set(ch.data as Float32Array, o);
    o += ch.data.length;
  }
  corpus = matrixCorpus(ids(rows), { rows, dim, data: all });
}
const m = Number(nq);
const q = new Float32Array(m * dim).map((_, i) => Math.sin(i));
const t = performance.now();
const res = await new ExactSearch().search({ rows: m, dim, data: q }, corpus, 100, { similarity: 'cosine' });
const seconds = (performance.now() - t) / 1000;
if (res.ids[0].length !== 100) throw new Error('bad result');
const st = await fs.stat(file);
process.stdout.write(JSON.stringify({ mode, rows, dim, queries: m, seconds, peak_rss_bytes: process.resourceUsage().maxRSS * 1024, corpus_bytes: rows * dim * 4, file_bytes: st.size }) + '\n');
