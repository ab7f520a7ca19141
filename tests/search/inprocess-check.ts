// Run outside jest (plain Node realm), where exact search uses onnxruntime on the calling thread rather than
// the worker fallback: compares it with the JS engine on tie-heavy integer data, cosine and dot, fp16 too.
import { ExactSearch } from '../../src/search/exact.js';
import { createScoreEngine } from '../../src/search/score-engine.js';
import { matrixCorpus } from '../../src/search/corpus.js';
import { intMatrix } from './helpers.js';

const engine = await createScoreEngine('onnx');
const inProcess = engine.constructor.name === 'OnnxEngine' && !(engine as any).runner.constructor.name.includes('Worker');
await engine.close();
const q = intMatrix(40, 12, 11, -3, 3);
q.data.set([NaN], 5 * 12);
const c = intMatrix(3000, 12, 12, -3, 3);
c.data.set([Infinity], 7 * 12);
const ids = Array.from({ length: 3000 }, (_, j) => `d${(j * 7919) % 10007}`);
const same: boolean[] = [];
for (const similarity of ['dot', 'cosine'] as const) {
  for (const storage of ['float32', 'float16'] as const) {
    const a = await new ExactSearch({ engine: 'onnx', queryBatch: 16 }).search(q, matrixCorpus(ids, c, { chunkRows: 700, storage }), 25, { similarity });
    const b = await new ExactSearch({ engine: 'js' }).search(q, matrixCorpus(ids, c, { chunkRows: 1000, storage }), 25, { similarity });
    // Cosine: engines round the normalisation differently, so near-equal scores may swap; compare ranked scores.
    same.push(
      similarity === 'dot'
        ? JSON.stringify(a.ids) === JSON.stringify(b.ids) && a.scores.every((s, i) => s.every((v, r) => v === b.scores[i][r]))
        : a.scores.every((s, i) => s.length === 25 && s.every((v, r) => Math.abs(v - b.scores[i][r]) < 1e-6)),
    );
  }
}
process.stdout.write(JSON.stringify({ inProcess, same }) + '\n');
