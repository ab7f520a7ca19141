// One OPENBLAS_CORETYPE per process (OpenBLAS reads it when it loads): exactTop1's decisions on tie-heavy inputs
// through the JS engine and the BLAS engine on 1 and 2 threads, for tests/metrics/bitext/top1.test.ts.
import { exactTop1 } from '../../../src/search/top1.js';
import { loadCblas } from '../../../src/search/blas/cblas.js';
import { tieHeavy } from './top1-data.js';

const { a, b } = tieHeavy(300, 1500, 64, 11);
const run = async (engine: 'js' | 'blas', threads?: number) => {
  const parts: string[] = [];
  for (const fn of ['cosine', 'dot'] as const) parts.push(Array.from(await exactTop1(a, b, fn, { engine, threads, chunkRows: 700 })).join(','));
  return parts.join('|');
};
process.stdout.write(JSON.stringify({ engine: loadCblas().description, js: await run('js'), blas1: await run('blas', 1), blas2: await run('blas', 2) }));
process.exit(0);
