import { describe, test, expect } from '@jest/globals';
import { evaluateGate, DEFAULT_GATE_RULES } from '../../src/gate/gate.js';
import { validateSignificanceOptions } from '../../src/compare/compare.js';
import type { Comparison } from '../../src/compare/types.js';

describe('gate and compare reject settings that would silently pass everything', () => {
  const cmp = { tasks: [], categories: [] } as unknown as Comparison;
  test('non-numeric or negative drop limits are usage errors', () => {
    expect(() => evaluateGate(cmp, { ...DEFAULT_GATE_RULES, maxTaskDrop: NaN })).toThrow('--max-task-drop must be a number >= 0, got NaN');
    expect(() => evaluateGate(cmp, { ...DEFAULT_GATE_RULES, maxAverageDrop: -1 })).toThrow(/max-average-drop/);
  });
  test('iterations, seed and alpha are checked', () => {
    expect(() => validateSignificanceOptions({ iterations: 0 })).toThrow('--iterations must be a positive integer, got 0');
    expect(() => validateSignificanceOptions({ seed: 1.5 })).toThrow(/--seed/);
    expect(() => validateSignificanceOptions({ alpha: NaN })).toThrow(/--alpha/);
    expect(() => validateSignificanceOptions({ iterations: 100, seed: 0, alpha: 0.05 })).not.toThrow();
  });
});

describe('a --limit dry run cannot pass the gate', () => {
  test('dry-run result files make the inputs unusable (exit 2) and are flagged in reports', async () => {
    const { runEvaluation } = await import('../../src/run/runner.js');
    const { resolveTasks, REPO_ROOT } = await import('../../src/registry/index.js');
    const { HashEmbedder } = await import('../../src/embedders/baselines/hash-embedder.js');
    const { compareRuns } = await import('../../src/compare/compare.js');
    const { gateExitCode } = await import('../../src/gate/gate.js');
    const { mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const path = await import('node:path');
    const tasks = resolveTasks([path.join(REPO_ROOT, 'fixtures/tasks/DemoSTS/task.json')]);
    const full = mkdtempSync(path.join(tmpdir(), 'gate-full-'));
    const dry = mkdtempSync(path.join(tmpdir(), 'gate-dry-'));
    await runEvaluation({ tasks, embedder: new HashEmbedder(32), outputDir: full, modelName: 'o/m', modelRevision: 'r' });
    await runEvaluation({ tasks, embedder: new HashEmbedder(32), outputDir: dry, modelName: 'o/m', modelRevision: 'r', limit: 5 });
    const bench = { name: 'sts-only', aliases: [], mode: 'current' as const, splitMislabels: {}, tasks: [{ name: 'DemoSTS', category: 'STS' as const, split: 'test', subsets: ['default'], metric: 'main_score' as const }] };
    const cmp = compareRuns([full], [dry], { benchmark: bench, iterations: 100 });
    expect(cmp.candidate.warnings).toContain('DemoSTS: dry run (--limit 5): not a full evaluation');
    const v = evaluateGate(cmp, { ...DEFAULT_GATE_RULES, maxTaskDrop: 100, maxCategoryDrop: 100, maxAverageDrop: 100 });
    expect(v.problems).toContain('candidate: DemoSTS: dry run (--limit 5): not a full evaluation');
    expect(gateExitCode(v)).toBe(2);
    // ...and JUnit is red too: the input problem becomes an error testcase.
    const { renderGate } = await import('../../reports/index.js');
    const xml = renderGate(v, 'junit');
    expect(xml).toMatch(/<testsuites [^>]*errors="1"/);
    expect(xml).toContain('message="candidate: DemoSTS: dry run (--limit 5): not a full evaluation"');
  });
});
