// Run outside jest, once per OPENBLAS_CORETYPE (the variable is read when OpenBLAS loads, so each kernel needs
// its own process): exact search over the near-tie data with the system BLAS, printing a digest of the
// rescored runs and one of the engine's raw float32 scores (which do depend on the kernel).
import { createHash } from 'node:crypto';
import { ExactSearch } from '../../src/search/exact.js';
import { matrixCorpus } from '../../src/search/corpus.js';
import { BlasEngine } from '../../src/search/blas/blas-engine.js';
import { nearTieData } from './near-ties.js';

const { q, c, ids } = nearTieData();
const digest = (x: unknown) => createHash('sha256').update(JSON.stringify(x)).digest('hex').slice(0, 16);
const runs: Record<string, unknown> = {};
const raw: string[] = [];
let detail = '';
for (const similarity of ['cosine', 'dot'] as const) {
  const s = new ExactSearch({ engine: 'blas', queryBatch: 5 });
  const r = await s.search(q, matrixCorpus(ids, c, { chunkRows: 1000 }), 50, { similarity });
  runs[similarity] = { ids: r.ids, scores: r.scores.map((x) => Array.from(x)) };
  detail = r.diagnostics?.engineDetail ?? '';
  const e = BlasEngine.create();
  await e.setChunk(c.data, c.rows, c.dim, similarity);
  raw.push(digest(Array.from(await e.scores(q.data, q.rows))));
  await s.close();
}
process.stdout.write(JSON.stringify({ detail, runs: digest(runs), rawScores: raw.join(':'), full: runs }) + '\n');
