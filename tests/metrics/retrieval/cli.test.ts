import { describe, test, expect, jest } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { metricsRetrievalCommand } from '../../../src/cli/commands/metrics-retrieval.js';

describe('mteb-ts metrics retrieval', () => {
  test('prints mteb-keyed JSON (and per-query values on request)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mteb-ts-cli-'));
    const qrels = join(dir, 'qrels');
    const run = join(dir, 'run');
    writeFileSync(qrels, 'q1 0 a 1\nq2 0 b 1\n');
    writeFileSync(run, 'q1 Q0 a 1 0.9 t\nq1 Q0 b 2 0.8 t\nq2 Q0 a 1 0.9 t\nq2 Q0 b 2 0.8 t\n');
    const out: string[] = [];
    const w = jest.spyOn(process.stdout, 'write').mockImplementation((s: unknown) => (out.push(String(s)), true));
    const e = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const code = await metricsRetrievalCommand.handler({
        qrels,
        run,
        k: '1,3',
        protocol: 'mteb-1',
        'mteb1-variant': '1.12.0',
        'python-sum': 'naive',
        'ignore-identical-ids': false,
        nauc: true,
        'per-query': true,
      });
      expect(code).toBe(0);
    } finally {
      w.mockRestore();
      e.mockRestore();
    }
    const json = JSON.parse(out.join(''));
    expect(json.scores).toEqual({
      ndcg_at_1: 0.5,
      ndcg_at_3: 0.81546,
      map_at_1: 0.5,
      map_at_3: 0.75,
      recall_at_1: 0.5,
      recall_at_3: 1,
      precision_at_1: 0.5,
      precision_at_3: 0.33333,
      mrr_at_1: 0.5,
      mrr_at_3: 0.75,
    });
    expect(json.per_query.q2.mrr_at_3).toBe(0.5);
    expect(metricsRetrievalCommand.command).toBe('retrieval');
  });
});
