import { describe, test, expect } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadCblas } from '../../src/search/blas/cblas.js';

/**
 * `run` end to end on near-tied retrieval scores (tests/e2e/near-tie-run.ts): every exact-search engine, and
 * the system BLAS under several OpenBLAS kernels, must write the same result files byte for byte (apart from
 * evaluation_time). Before candidates were rescored canonically, this input gave four different nDCG@10
 * values for DemoRetrieval (js 0.02373, onnx 0.04045, OpenBLAS Haswell 0.03856, Prescott 0.03382).
 */
let openblas = false;
try {
  openblas = loadCblas().library.includes('openblas');
} catch {
  openblas = false;
}
const avx2 = (() => {
  try {
    return /\bavx2\b/.test(readFileSync('/proc/cpuinfo', 'utf8'));
  } catch {
    return false;
  }
})();

function runWith(engine: string, coretype?: string): { failed: string[]; files: Record<string, string> } {
  const env: NodeJS.ProcessEnv = { ...process.env };
  if (coretype) env.OPENBLAS_CORETYPE = coretype;
  else delete env.OPENBLAS_CORETYPE;
  return JSON.parse(execFileSync(process.execPath, ['bin/run-ts.js', 'tests/e2e/near-tie-run.ts', engine], { encoding: 'utf8', env, stdio: ['ignore', 'pipe', 'pipe'] }));
}

describe('result files do not depend on the search engine or the BLAS kernel', () => {
  test('js, onnx and the BLAS engine under several kernels write identical result files', () => {
    const variants: [string, string, string?][] = [
      ['js', 'js'],
      ['onnx', 'onnx'],
      ...(openblas
        ? ([
            ['blas (default kernel)', 'blas'],
            ['blas Prescott', 'blas', 'Prescott'],
            ['blas Sandybridge', 'blas', 'Sandybridge'],
            ...(avx2 ? [['blas Haswell', 'blas', 'Haswell'] as [string, string, string]] : []),
          ] as [string, string, string?][])
        : []),
    ];
    const first = runWith('js');
    expect(first.failed).toEqual([]);
    expect(Object.keys(first.files)).toEqual(['DemoRetrieval.items.json', 'DemoRetrieval.json', 'V2Retrieval.items.json', 'V2Retrieval.json', 'model_meta.json']);
    // The canonical values (pinned: a change here changes every user's scores and needs a new CANONICAL_SCORES).
    expect(first.files['DemoRetrieval.json']).toContain('"ndcg_at_10": 0.01842');
    expect(first.files['V2Retrieval.json']).toContain('"ndcg_at_10": 0.0536');
    expect(first.files['DemoRetrieval.json']).toContain('"search_scores": "canonical-f64-v1"');
    for (const [name, engine, coretype] of variants.slice(1)) {
      const got = runWith(engine, coretype);
      for (const f of Object.keys(first.files)) expect({ name, f, text: got.files[f] }).toEqual({ name, f, text: first.files[f] });
    }
  }, 300_000);
});
