/**
 * @jest-environment ./tests/nvembed/ort-environment.cjs
 *
 * Issue 16's done-when "compare of the tiny NV-Embed against a tiny e5-mistral-shaped model works in the demo's
 * style": both in-process checkpoints run every demo task into one output folder (as `mteb-ts demo` runs NV-Embed
 * and BERT), then `compare` puts them side by side. The scores are pinned: the models are seeded fixtures and the
 * run deterministic, so a change in either path (decoder graph, instruction, pooling, evaluator) shows here.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { compareRuns } from '../../src/compare/compare.js';
import type { Comparison } from '../../src/compare/types.js';
import { runMain } from '../cli/support/run-main.js';

const NV = 'nvembed:fixtures/models/nv-embed-tiny';
const E5 = 'hf:fixtures/models/e5-mistral-tiny?registered=intfloat/e5-mistral-7b-instruct';
/** main_score per demo task: [tiny NV-Embed, tiny e5-mistral], 0-100 scale, 2 decimals. */
const PINNED: Record<string, [number, number]> = {
  DemoBitextMining: [9.59, 2.06],
  DemoClassification: [32.75, 27.88],
  DemoClustering: [8.45, 8.01],
  DemoPairClassification: [53.87, 55.12],
  DemoReranking: [41.86, 46.6],
  DemoRetrieval: [1.8, 5.29],
  DemoSTS: [15.12, 4.33],
  DemoSummarization: [30.46, 20.64],
};

let out: string;
let cmp: Comparison;
let savedCache: string | undefined;
beforeAll(async () => {
  savedCache = process.env.MTEB_TS_CACHE;
  out = mkdtempSync(path.join(tmpdir(), 'mteb-ts-decoder-compare-'));
  process.env.MTEB_TS_CACHE = path.join(out, 'graphs');
  for (const m of [NV, E5]) {
    const r = await runMain(['run', '-m', m, '-b', 'demo', '-o', path.join(out, 'results'), '--cache-dir', 'none', '-q']);
    if (r.code !== 0) throw new Error(`run ${m} failed: ${r.stderr}`);
  }
  const dir = path.join(out, 'results');
  cmp = compareRuns([dir], [dir], { benchmark: 'demo', baselineModel: 'mteb-ts/nv-embed-tiny', candidateModel: 'mteb-ts/e5-mistral-tiny', log: () => {} });
}, 600_000);
afterAll(() => {
  if (savedCache === undefined) delete process.env.MTEB_TS_CACHE;
  else process.env.MTEB_TS_CACHE = savedCache;
  rmSync(out, { recursive: true, force: true });
});

describe('tiny NV-Embed vs tiny e5-mistral on the demo tasks', () => {
  test('compare sees both models on all 8 tasks, provenance consistent', () => {
    expect([cmp.baseline.model, cmp.candidate.model]).toEqual(['mteb-ts/nv-embed-tiny', 'mteb-ts/e5-mistral-tiny']);
    expect(cmp.tasks.map((t) => t.task).sort()).toEqual(Object.keys(PINNED).sort());
    expect(cmp.mismatches).toEqual([]);
    expect(cmp.average.common!.n).toBe(8);
  });

  test('the pinned main scores and deltas', () => {
    const got = Object.fromEntries(cmp.tasks.map((t) => [t.task, [Number(t.baseline!.toFixed(2)), Number(t.candidate!.toFixed(2))]]));
    expect(got).toEqual(PINNED);
    for (const t of cmp.tasks) expect(t.delta!).toBeCloseTo(t.candidate! - t.baseline!, 10);
  });

  test("e5-mistral ran with the registry's instruct prompts", () => {
    const meta = JSON.parse(readFileSync(path.join(out, 'results', 'mteb-ts__e5-mistral-tiny', 'no_revision_available', 'model_meta.json'), 'utf8'));
    expect(meta.use_instructions).toBe(true);
    expect(meta.loader).toContain('(MistralModel, causal, cpu, pooling lasttoken + Normalize, prompts from registry (intfloat/e5-mistral-7b-instruct: ');
  });

  test('the `compare` command renders the same comparison', async () => {
    const dir = path.join(out, 'results');
    const r = await runMain(['compare', dir, dir, '--baseline-model', 'mteb-ts/nv-embed-tiny', '--candidate-model', 'mteb-ts/e5-mistral-tiny', '-b', 'demo', '--format', 'json', '--iterations', '200']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.benchmark).toBe('demo');
    expect(doc.tasks.map((t: { task: string; candidate: number }) => [t.task, Number(t.candidate.toFixed(2))]).sort()).toEqual(Object.entries(PINNED).map(([k, v]) => [k, v[1]]).sort());
  });
});
