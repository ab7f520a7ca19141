import { describe, test, expect, beforeAll } from '@jest/globals';
import { parsePythonJson } from '../../src/output/python-json.js';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { runEvaluation } from '../../src/run/runner.js';
import { resolveTasks, REPO_ROOT } from '../../src/registry/index.js';
import { HashEmbedder } from '../../src/embedders/baselines/hash-embedder.js';
import { tmpOut } from '../run/helpers.js';

/**
 * Our result files carry exactly the metric keys mteb 1.x wrote: compared with official result files that
 * mteb 1.18 / 1.20 produced (../shared/mteb-results, the files the MTEB leaderboard reads).
 */
const SHARED = path.resolve(REPO_ROOT, '..', 'shared', 'mteb-results');
const OFFICIAL: Record<string, string> = {
  DemoRetrieval: 'nvidia__NV-Embed-v2/7604d305b621f14095a1aa23d351674c2859553a/NFCorpus.json',
  DemoSTS: 'Salesforce__SFR-Embedding-Mistral/938c560d1c236aa563b2dbdf084f28ab28bccb11/STS22.json',
  DemoSummarization: 'Salesforce__SFR-Embedding-Mistral/938c560d1c236aa563b2dbdf084f28ab28bccb11/SummEvalSummarization.v2.json',
  DemoClassification: 'Salesforce__SFR-Embedding-Mistral/938c560d1c236aa563b2dbdf084f28ab28bccb11/MTOPDomainClassification.json',
  DemoClustering: 'Salesforce__SFR-Embedding-Mistral/938c560d1c236aa563b2dbdf084f28ab28bccb11/MedrxivClusteringS2S.v2.json',
};
const have = existsSync(SHARED);
if (!have) console.warn(`SKIP result-key comparison: ${SHARED} not found`);

let out: string;
beforeAll(async () => {
  if (!have) return;
  out = tmpOut();
  const tasks = resolveTasks(Object.keys(OFFICIAL).map((t) => path.join(REPO_ROOT, 'fixtures', 'tasks', t, 'task.json')));
  await runEvaluation({ tasks, embedder: new HashEmbedder(64), outputDir: out, modelName: 'k/m', modelRevision: 'r' });
}, 120_000);

describe('metric keys equal those of official mteb result files', () => {
  for (const [task, file] of Object.entries(OFFICIAL)) {
    (have ? test : test.skip)(`${task} ~ ${path.basename(file)}`, () => {
      const official = parsePythonJson(readFileSync(path.join(SHARED, file), 'utf8'));
      const ours = parsePythonJson(readFileSync(path.join(out, 'k__m', 'r', `${task}.json`), 'utf8'));
      const keys = (r: any) => Object.keys(Object.values(r.scores as Record<string, any[]>)[0][0]).sort();
      expect(keys(ours)).toEqual(keys(official));
      expect(Object.keys(ours).filter((k) => k !== 'mteb_ts').sort()).toEqual(Object.keys(official).filter((k) => k !== 'date').sort());
    });
  }
});
