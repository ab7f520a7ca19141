// `export-texts` (issue 20): the texts a task has a model embed, with role and instruction, as JSONL. The proof
// that they are exactly the ones: embed the exported lines elsewhere (here: hash:64 through its library class),
// come back with precomputed:, and get the scores of a direct hash:64 run.
import { describe, test, expect } from '@jest/globals';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { HashEmbedder } from '../../src/embedders/baselines/hash-embedder.js';
import { runMain } from './support/run-main.js';

const TASKS = 'DemoRetrieval,DemoClassification,DemoSTS,DemoReranking,DemoClustering';

describe('export-texts', () => {
  test('JSONL per task; embedded elsewhere and read back as precomputed:, the scores of a direct run', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'export-'));
    const dir = path.join(root, 'texts');
    const r = await runMain(['export-texts', '-t', TASKS, '-o', dir, '-q', '-f', 'json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.tasks.map((t: { task: string; texts: number; queries: number; passages: number }) => [t.task, t.texts, t.queries, t.passages])).toEqual([
      ['DemoRetrieval', 340, 40, 300],
      ['DemoClassification', 216, 216, 0],
      ['DemoSTS', 200, 200, 0],
      ['DemoReranking', 245, 24, 221],
      ['DemoClustering', 240, 240, 0],
    ]);
    // Nothing but the task files in the output folder (no temp file left).
    expect(readdirSync(dir).sort()).toEqual(['DemoClassification.jsonl', 'DemoClustering.jsonl', 'DemoReranking.jsonl', 'DemoRetrieval.jsonl', 'DemoSTS.jsonl']);
    const first = JSON.parse(readFileSync(path.join(dir, 'DemoRetrieval.jsonl'), 'utf8').split('\n')[0]);
    expect(first).toEqual({ text: 'goal coach offside why', role: 'query', instruction: 'Given a short keyword query, retrieve passages on the same subject' });

    // "Elsewhere": each line embedded with its role and instruction.
    const model = new HashEmbedder(64);
    const lines: string[] = [];
    for (const f of readdirSync(dir)) {
      for (const l of readFileSync(path.join(dir, f), 'utf8').split('\n').filter(Boolean)) {
        const { text, role, instruction } = JSON.parse(l);
        const m = await model.embed([text], { role, instruction });
        lines.push(JSON.stringify({ text, role, ...(instruction ? { instruction } : {}), embedding: Array.from(m.data) }));
      }
    }
    const vectors = path.join(root, 'vectors.jsonl');
    writeFileSync(vectors, lines.join('\n') + '\n');
    const scores = async (spec: string) => {
      const run = await runMain(['run', '-m', spec, '-t', TASKS, '-o', path.join(root, spec.replace(/\W/g, '_')), '--cache-dir', 'none', '-q', '-f', 'json']);
      expect(run.code).toBe(0);
      return JSON.parse(run.stdout).tasks.map((t: { task: string; main_score: number }) => [t.task, t.main_score]);
    };
    const direct = await scores('hash:64');
    expect(await scores(`precomputed:${vectors}`)).toEqual(direct);
    expect(direct.every(([, s]: [string, number]) => typeof s === 'number' && Number.isFinite(s))).toBe(true);
  });

  test('--limit and --eval-splits narrow the texts as they narrow run; a selection typo is exit 2', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'export-'));
    const r = await runMain(['export-texts', '-t', 'DemoRetrieval', '-o', dir, '--limit', '5', '-q', '-f', 'json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).tasks[0]).toMatchObject({ task: 'DemoRetrieval', queries: 5 });
    const bad = await runMain(['export-texts', '-t', 'DemoRetrieval', '-o', dir, '--eval-splits', 'dev']);
    expect([bad.code, bad.stdout, bad.stderr.split('\n')[0]]).toEqual([2, '', 'error[E_USAGE] field "eval-splits": --eval-splits "dev": no selected task has it; the selected tasks have: test']);
  });
});
