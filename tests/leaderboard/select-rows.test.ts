// report --top N / --models: fewer rows, the ranks among every model kept (issue 13).
import { describe, test, expect } from '@jest/globals';
import { runMain } from '../cli/support/run-main.js';

const SNAPSHOT = 'fixtures/results/snapshot/results';
const rows = async (...extra: string[]) => {
  const r = await runMain(['report', SNAPSHOT, '-b', 'MTEB(eng, v1)', '-f', 'json', ...extra]);
  return { ...r, models: r.code === 0 ? (JSON.parse(r.stdout).models as { model: string; rank: number | null }[]).map((m) => [m.model, m.rank]) : [] };
};

describe('report row selection', () => {
  test('--top 3: the three best ranked, ranks unchanged, a note on stderr', async () => {
    const r = await rows('--top', '3');
    expect(r.models).toEqual([
      ['codefuse-ai/F2LLM-v2-14B', 1],
      ['Alibaba-NLP/gte-Qwen2-7B-instruct', 2],
      ['openai/text-embedding-3-large', 3],
    ]);
    expect(r.stderr).toContain('showing 3 of 12 models');
  });

  test('--models filters by name (any case, comma-separated or repeated), then --top', async () => {
    expect((await rows('--models', 'BGE,openai/')).models).toEqual([
      ['openai/text-embedding-3-large', 3],
      ['BAAI/bge-large-en-v1.5', 4],
      ['openai/text-embedding-3-small', 6],
      ['BAAI/bge-small-en-v1.5', 8],
      ['openai/text-embedding-ada-002', 10],
    ]);
    expect((await rows('--models', 'bge', '--models', 'e5', '--top', '2')).models).toEqual([
      ['BAAI/bge-large-en-v1.5', 4],
      ['BAAI/bge-small-en-v1.5', 8],
    ]);
    // Unranked models (blank average) come after the ranked ones.
    expect((await rows('--models', 'jina,voyage,ada', '--top', '2')).models).toEqual([
      ['openai/text-embedding-ada-002', 10],
      ['jinaai/jina-embeddings-v4', null],
    ]);
  });

  test('a filter that leaves no model is exit 2 naming what there is', async () => {
    const r = await rows('--models', 'nosuchmodel');
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n').find((l) => l.startsWith('error['))).toBe('error[E_USAGE] field "models": --models nosuchmodel matches none of the 12 models (e.g. codefuse-ai/F2LLM-v2-14B, Alibaba-NLP/gte-Qwen2-7B-instruct, openai/text-embedding-3-large, BAAI/bge-large-en-v1.5, thenlper/gte-large)');
  });
});

describe('one rounding for every score shown', () => {
  test('fmtPoints is Python round(x*100, 2), half-even on the exact binary value (not toFixed)', async () => {
    const { fmtPoints } = await import('../../src/leaderboard/round.js');
    // 0.47125 * 100 = 47.125 exactly: Python rounds to 47.12 (half-even), JavaScript's toFixed to 47.13.
    expect([fmtPoints(0.47125), (0.47125 * 100).toFixed(2)]).toEqual(['47.12', '47.13']);
    expect([fmtPoints(0.563149), fmtPoints(1), fmtPoints(-0.0322)]).toEqual(['56.31', '100.00', '-3.22']);
  });
});
