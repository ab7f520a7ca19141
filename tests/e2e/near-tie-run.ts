// Run outside jest, once per engine / BLAS kernel (OPENBLAS_CORETYPE is read when OpenBLAS loads): evaluates
// the retrieval fixture tasks with an embedder whose documents fall in a few tight groups (scores within a
// group differ by about as much as float32 summation order changes them) and prints every result file's
// text with evaluation_time zeroed (and the per-scoring evaluation_id). Usage: node bin/run-ts.js tests/e2e/near-tie-run.ts <engine>
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { runEvaluation } from '../../src/run/runner.js';
import { resolveTasks, REPO_ROOT } from '../../src/registry/index.js';
import type { Embedder, EmbedOptions } from '../../src/core/embedder.js';
import { mulberry32 } from '../../src/util/mulberry32.js';

const DIM = 96;
const GROUPS = 4;
const bases = Array.from({ length: GROUPS }, (_, g) => {
  const r = mulberry32(100 + g);
  return Float32Array.from({ length: DIM }, () => r() * 2 - 1);
});

/** Deterministic per text: group = first byte of its digest; noise ~1e-6 (passages) or 0.2 (queries). */
class NearTieEmbedder implements Embedder {
  readonly name = 'test/near-ties';
  readonly revision = 'r1';
  readonly dimension = DIM;
  async embed(texts: string[], options: EmbedOptions) {
    const data = new Float32Array(texts.length * DIM);
    texts.forEach((t, i) => {
      const h = createHash('sha256').update(t).digest();
      const r = mulberry32(h.readUInt32LE(4));
      const b = bases[h[0] % GROUPS];
      const noise = options.role === 'query' ? 0.2 : 2e-6;
      for (let d = 0; d < DIM; d++) data[i * DIM + d] = Math.fround(b[d] + (r() - 0.5) * noise);
    });
    return { rows: texts.length, dim: DIM, data };
  }
}

const engine = process.argv[2] ?? 'auto';
const out = mkdtempSync(path.join(tmpdir(), 'near-tie-'));
const tasks = resolveTasks(['DemoRetrieval', 'V2Retrieval'].map((t) => path.join(REPO_ROOT, 'fixtures/tasks', t, 'task.json')));
const summary = await runEvaluation({ tasks, embedder: new NearTieEmbedder(), outputDir: out, search: { engine }, quiet: true } as Parameters<typeof runEvaluation>[0]);
const dir = path.join(out, 'test__near-ties', 'r1');
const files: Record<string, string> = {};
for (const f of readdirSync(dir).sort()) files[f] = readFileSync(path.join(dir, f), 'utf8').replace(/"evaluation_time": [^,\n}]+/g, '"evaluation_time": 0')
    // A random id per scoring, and the items file's digest, which contains it.
    .replace(/"evaluation_id": "[0-9a-f]+"/g, '"evaluation_id": "-"')
    .replace(/("[^"]*\.items\.json": )"sha256:[0-9a-f]{64}"/g, '$1"sha256:-"');
process.stdout.write(JSON.stringify({ failed: summary.outcomes.filter((o) => o.status === 'failed').map((o) => o.task), files }) + '\n');
