/**
 * @jest-environment ./tests/nvembed/ort-environment.cjs
 */
import { afterAll } from '@jest/globals';
import { createHfEmbedder } from '../../../src/embedders/hf/index.js';
import { runEmbedderConformance } from '../conformance.js';
import { cleanupTmp, tinyModel, tmp } from './helpers.js';

afterAll(cleanupTmp);
const cacheDir = tmp('conformance');

// Every family; a small token budget so the suite's batch really is split and re-ordered.
for (const name of ['bert-tiny', 'xlmr-tiny', 'mpnet-tiny', 'nomic-tiny']) {
  runEmbedderConformance(`hf:${name} (cpu)`, () => createHfEmbedder(tinyModel(name).dir, { cacheDir, tokenBudget: 48 }), { normalized: true, batchTolerance: 1e-6 });
}
