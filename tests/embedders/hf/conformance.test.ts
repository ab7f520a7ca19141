/**
 * @jest-environment ./tests/nvembed/ort-environment.cjs
 */
import { afterAll } from '@jest/globals';
import { createHfEmbedder } from '../../../src/embedders/hf/index.js';
import { runEmbedderConformance } from '../conformance.js';
import { join } from 'node:path';
import { cleanupTmp, tmp } from './helpers.js';

afterAll(cleanupTmp);
const cacheDir = tmp('conformance');

// Every family (encoders and decoders); a small token budget so the suite's batch really is split and re-ordered.
for (const name of ['bert-tiny', 'xlmr-tiny', 'mpnet-tiny', 'nomic-tiny', 'e5-mistral-tiny', 'gte-qwen2-tiny']) {
  runEmbedderConformance(`hf:${name} (cpu)`, () => createHfEmbedder(join(process.cwd(), 'fixtures/models', name), { cacheDir, tokenBudget: 48 }), { normalized: true, batchTolerance: 1e-6 });
}
