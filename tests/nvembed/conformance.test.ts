/**
 * @jest-environment ./tests/nvembed/ort-environment.cjs
 */
import { afterAll } from '@jest/globals';
import { createNvEmbedEmbedder } from '../../src/embedders/nvembed/index.js';
import { runEmbedderConformance } from '../embedders/conformance.js';
import { cleanupTmp, tmp, TINY } from './helpers.js';

afterAll(cleanupTmp);
const cacheDir = tmp('conformance');

// A small token budget so the suite's batch really is split and re-ordered.
runEmbedderConformance('nvembed:nv-embed-tiny (cpu, fp32)', () => createNvEmbedEmbedder(TINY, { cacheDir, maxLength: 128, tokenBudget: 256 }), {
  normalized: true,
  batchTolerance: 1e-6,
});
