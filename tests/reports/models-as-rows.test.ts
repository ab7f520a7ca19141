import { describe, expect, test } from '@jest/globals';
import { buildLeaderboard } from '../../src/leaderboard/build.js';
import { selectColumns } from '../../src/leaderboard/select-columns.js';
import { selectRows } from '../../src/leaderboard/select-rows.js';
import { renderReport } from '../../reports/index.js';
import { runMain } from '../cli/support/run-main.js';

const SNAPSHOT = 'fixtures/results/snapshot/results';
const lb = buildLeaderboard([SNAPSHOT], { benchmark: 'MTEB(eng, v1)' });
const longest = (text: string) => Math.max(...text.split('\n').filter((l) => /^[│┌└]/.test(l)).map((l) => [...l].length));

describe('models as rows (more than 4 models)', () => {
  test('the terminal table ranks one model per row, averages first, missing tasks counted', () => {
    const text = renderReport(lb, 'table');
    const lines = text.split('\n');
    expect(lines[2]).toMatch(/^│ Rank │ Model +│ Average \(56\) │ +Missing │ Classification \(12\) │ Clustering \(11\) │/);
    expect(lines[3]).toMatch(/^│ +1 │ codefuse-ai\/F2LLM-v2-14B +│ +71\.74 │ +│ +89\.78 │/);
    expect(text).toMatch(/│ +│ jinaai\/jina-embeddings-v4 +│ +│ 36 tasks │/);
    expect(text).toMatch(/│ +│ voyageai\/voyage-large-2-instruct +│ +│ +1 task │ +78\.38 │/);
  });
  test('at 80 and 120 columns the table fits and names what it left out; without a width it has every column', () => {
    const full = renderReport(lb, 'table');
    expect(longest(full)).toBeGreaterThan(1000);
    for (const width of [80, 120]) {
      const text = renderReport(lb, 'table', { width });
      expect(longest(text)).toBeLessThanOrEqual(width);
      expect(text).toMatch(/\d+ column\(s\) left out to fit \d+ terminal columns \(/);
      expect(text).toContain('│    1 │ codefuse-ai/F2LLM-v2-14B');
    }
    expect(renderReport(lb, 'table', { width: 80 })).toContain('63 column(s) left out to fit 80 terminal columns (Classification (12), Clustering (11), PairClassification (3), …)');
  });
  test('four models or fewer keep the original layout (tasks as rows)', () => {
    const few = selectRows(lb, { top: 3 });
    const text = renderReport(few, 'table');
    expect(text.split('\n')[2]).toMatch(/^│ +│ codefuse-ai\/F2LLM-v2-14B │ Alibaba-NLP\/gte-Qwen2-7B-instruct │ openai\/text-embedding-3-large │$/);
    // Wider than the terminal: the model columns wrap into a second table, each line within the width.
    const narrow = renderReport(few, 'table', { width: 120 });
    expect(longest(narrow)).toBeLessThanOrEqual(120);
    expect(narrow.match(/│ Average \(56\)/g)).toHaveLength(2);
  });
  test('Markdown: one row per model, every column', () => {
    const text = renderReport(lb, 'markdown');
    const table = text.split('\n').filter((l) => l.startsWith('|'));
    expect(table).toHaveLength(2 + 12);
    expect(table[0].startsWith('| **Rank** | **Model** | **Average (56)** | **Missing** | **Classification (12)** |')).toBe(true);
    expect(table[2].startsWith('| 1 | codefuse-ai/F2LLM-v2-14B | 71.74 |  | 89.78 |')).toBe(true);
    expect(table[0].split(' | ')).toHaveLength(4 + 7 + 56);
  });
});

describe('--tasks / --types choose the columns; averages and ranks stay over all tasks', () => {
  test('types and tasks, case-insensitive, union', () => {
    const sel = selectColumns(lb, { types: ['sts'], tasks: ['scifact,ARGUANA'] });
    expect(sel.categories).toEqual(['STS']);
    expect(sel.tasks.map((t) => t.name)).toEqual(['ArguAna', 'SciFact', 'BIOSSES', 'SICK-R', 'STS12', 'STS13', 'STS14', 'STS15', 'STS16', 'STS17', 'STS22', 'STSBenchmark']);
    expect(sel.allTasks).toBe(56);
    expect(sel.models[0].average).toBe(lb.models[0].average);
    const md = renderReport(sel, 'markdown');
    expect(md).toContain('12 of 56 tasks shown; averages and ranks are over all 56.');
    expect(md).toContain('| **Rank** | **Model** | **Average (56)** | **Missing** | **STS (10)** | ArguAna | SciFact | BIOSSES |');
  });
  test('a name that matches nothing is a usage error naming the closest matches', () => {
    expect(() => selectColumns(lb, { tasks: ['scifcat'] })).toThrow('--tasks "scifcat" is no task of this benchmark; did you mean "SciFact"?');
    expect(() => selectColumns(lb, { types: ['Retreival'] })).toThrow('--types "Retreival" is no task type of this benchmark; did you mean "Retrieval"?');
  });
  test('CLI: exit 2 with the suggestion; a good selection prints only those columns', async () => {
    const bad = await runMain(['report', SNAPSHOT, '-b', 'MTEB(eng, v1)', '--types', 'sts,bitext']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--types "bitext" is no task type of this benchmark; choose from Classification, Clustering, PairClassification, Reranking, Retrieval, STS, Summarization');
    const ok = await runMain(['report', SNAPSHOT, '-b', 'MTEB(eng, v1)', '--tasks', 'sts12', '--format', 'markdown']);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('| **Rank** | **Model** | **Average (56)** | **Missing** | STS12 |');
  });
});
