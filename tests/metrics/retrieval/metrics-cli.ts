// `mteb-ts metrics retrieval --per-query` in-process with mteb-2 settings and trec_eval's cutoffs, its JSON
// captured from stdout: the one way the trec_eval tests drive the CLI.
import { expect, jest } from '@jest/globals';
import { metricsRetrievalCommand } from '../../../src/cli/commands/metrics-retrieval.js';
import { TREC_K } from './trec-shapes.js';

export interface MetricsCliJson {
  scores: Record<string, number>;
  per_query: Record<string, Record<string, number>>;
}

export async function metricsCliPerQuery(qrels: string, run: string): Promise<MetricsCliJson> {
  const out: string[] = [];
  const w = jest.spyOn(process.stdout, 'write').mockImplementation((s: unknown) => (out.push(String(s)), true));
  const e = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    const code = await metricsRetrievalCommand.handler({
      qrels,
      run,
      k: TREC_K.join(','),
      protocol: 'mteb-2',
      'mteb1-variant': '1.12.8',
      'python-sum': 'naive',
      'ignore-identical-ids': false,
      nauc: false,
      'per-query': true,
    });
    expect(code).toBe(0);
  } finally {
    w.mockRestore();
    e.mockRestore();
  }
  return JSON.parse(out.join('')) as MetricsCliJson;
}
