import { afterEach, describe, expect, jest, test } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MtebError } from '../../src/core/errors.js';
import { createNvEmbedEmbedder } from '../../src/embedders/nvembed/index.js';
import { resolveEmbedder } from '../../src/embedders/resolve.js';
import { MissingDependencyError, simulateMissing } from '../../src/native/optional-module.js';
import { loadCblas } from '../../src/search/blas/cblas.js';
import { HnswSearch } from '../../src/search/hnsw.js';
import { createScoreEngine } from '../../src/search/score-engine.js';
import { matrixCorpus } from '../../src/search/corpus.js';
import { fromRows } from '../../src/core/matrix.js';
import { main } from '../../src/cli/main.js';

// An install without the optional native packages (npm install --omit=optional, or a platform with no
// prebuilt binary), simulated by the loader's test hook: the package then fails to import exactly as Node
// fails for a package absent from node_modules (ERR_MODULE_NOT_FOUND).
const TINY = path.resolve('fixtures/models/nv-embed-tiny');
let restore: (() => void) | undefined;
afterEach(() => {
  restore?.();
  restore = undefined;
});

async function caught(p: Promise<unknown> | (() => unknown)): Promise<any> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    return e;
  }
  throw new Error('expected an error');
}

describe('optional native packages: one typed error naming the feature and the install command', () => {
  test('NV-Embed without onnxruntime-node', async () => {
    restore = simulateMissing('onnxruntime-node');
    const e = await caught(createNvEmbedEmbedder(TINY));
    expect(e).toBeInstanceOf(MissingDependencyError);
    expect(e).toBeInstanceOf(MtebError);
    expect(e.code).toBe('E_DEPENDENCY_MISSING');
    expect(e.packageName).toBe('onnxruntime-node');
    expect(e.message).toBe(
      'NV-Embed (model spec nvembed:) needs the optional package onnxruntime-node, which is not installed: run `npm install onnxruntime-node`',
    );
    // the same through the model-spec parser
    const viaSpec = await caught(resolveEmbedder(`nvembed:${TINY}`));
    expect(viaSpec.code).toBe('E_DEPENDENCY_MISSING');
  });

  test('exact search: onnx engine without onnxruntime-node; auto without koffi falls back to onnxruntime', async () => {
    restore = simulateMissing('onnxruntime-node');
    const onnx = await caught(createScoreEngine('onnx'));
    expect(onnx.code).toBe('E_DEPENDENCY_MISSING');
    expect(onnx.message).toMatch(/^exact search with --search-engine onnx needs the optional package onnxruntime-node, which is not installed: run `npm install onnxruntime-node`$/);
    restore();
    restore = simulateMissing('koffi');
    const engine = await createScoreEngine('auto', 1);
    try {
      expect(engine.name).toBe('onnx');
    } finally {
      await engine.close();
    }
    expect(await caught(createScoreEngine('blas'))).toMatchObject({ code: 'E_DEPENDENCY_MISSING', packageName: 'koffi' });
    expect((await caught(() => loadCblas())).message).toContain('run `npm install koffi`');
  });

  test('auto with neither koffi nor onnxruntime-node names onnxruntime and the js engine', async () => {
    restore = simulateMissing('koffi', 'onnxruntime-node');
    const e = await caught(createScoreEngine('auto'));
    expect(e.code).toBe('E_DEPENDENCY_MISSING');
    expect(e.message).toContain('--search-engine js needs nothing');
    expect(e.message).toContain('run `npm install onnxruntime-node`');
    const js = await createScoreEngine('js');
    expect(js.name).toBe('js');
  });

  test('HNSW search without hnswlib-node', async () => {
    restore = simulateMissing('hnswlib-node');
    const corpus = matrixCorpus(['a', 'b'], fromRows([[1, 0], [0, 1]]));
    const e = await caught(new HnswSearch().search(fromRows([[1, 0]]), corpus, 1, { similarity: 'dot' }));
    expect(e).toBeInstanceOf(MissingDependencyError);
    expect(e.message).toBe('HNSW search (--search hnsw) needs the optional package hnswlib-node, which is not installed: run `npm install hnswlib-node`');
  });

  test('baselines need none of them; the CLI reports the missing one as one line, exit 2', async () => {
    restore = simulateMissing('onnxruntime-node', 'hnswlib-node', 'koffi');
    const hash = await resolveEmbedder('hash:8');
    expect(hash.dimension).toBe(8);
    const err: string[] = [];
    const spy = jest.spyOn(process.stderr, 'write').mockImplementation((s: any) => {
      err.push(String(s));
      return true;
    });
    const dir = mkdtempSync(path.join(tmpdir(), 'mteb-ts-optdeps-'));
    const input = path.join(dir, 'texts.txt');
    writeFileSync(input, 'hello\n');
    let code: number;
    try {
      code = await main(['embed', '-m', `nvembed:${TINY}`, '--input', input]);
    } finally {
      spy.mockRestore();
      rmSync(dir, { recursive: true, force: true });
    }
    expect(code).toBe(2);
    expect(err.join('')).toContain('error[E_DEPENDENCY_MISSING] NV-Embed (model spec nvembed:) needs the optional package onnxruntime-node, which is not installed: run `npm install onnxruntime-node`');
  });

  test('a package that is present but whose native part fails to load is named as such, with the cause', () => {
    const broken = Object.assign(new Error("Cannot find module '/x/node_modules/hnswlib-node/build/Release/addon.node'"), { code: 'MODULE_NOT_FOUND' });
    const e = new MissingDependencyError('hnswlib-node', 'HNSW search (--search hnsw)', broken);
    expect(e.message).toBe(
      "HNSW search (--search hnsw) needs the optional package hnswlib-node, which did not load (Cannot find module '/x/node_modules/hnswlib-node/build/Release/addon.node'): run `npm install hnswlib-node`",
    );
    const absent = Object.assign(new Error("Cannot find module 'koffi'\nRequire stack: ..."), { code: 'MODULE_NOT_FOUND' });
    expect(new MissingDependencyError('koffi', 'BLAS', absent).message).toBe('BLAS needs the optional package koffi, which is not installed: run `npm install koffi`');
  });
});
