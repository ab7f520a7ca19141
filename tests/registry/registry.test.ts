import { describe, test, expect } from '@jest/globals';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  loadRegistry, getTask, readRegistryDir, resolveTasks, expandAggregates, getBenchmark, benchmarkScoring,
  loadTaskFile, taskSchemaIssues, TASKS_DIR, readBenchmarksFile,
} from '../../src/registry/index.js';
import { formatError, MtebError } from '../../src/core/errors.js';

function thrown(fn: () => unknown): MtebError {
  try {
    fn();
  } catch (e) {
    if (e instanceof MtebError) return e;
    throw e;
  }
  throw new Error('expected an MtebError');
}

const FORUMS = 'Android English Gaming Gis Mathematica Physics Programmers Stats Tex Unix Webmasters Wordpress'.split(' ');

describe('registry content', () => {
  test('every file validates; 56 v1 + 12 forums + 18 v2-only entries', () => {
    const all = readRegistryDir(TASKS_DIR);
    expect(all).toHaveLength(86);
    for (const t of all) expect(taskSchemaIssues({ ...t })).toEqual([]);
    expect(all.filter((t) => t.protocol === 'mteb-2').map((t) => t.id).sort()).toEqual([
      'AmazonCounterfactualClassification@v2', 'ArXivHierarchicalClusteringP2P', 'ArXivHierarchicalClusteringS2S',
      'AskUbuntuDupQuestions@v2', 'BiorxivClusteringP2P.v2', 'ClimateFEVERHardNegatives', 'FEVERHardNegatives',
      'HotpotQAHardNegatives', 'MTOPDomainClassification@v2', 'MedrxivClusteringP2P.v2', 'MedrxivClusteringS2S.v2',
      'MindSmallReranking@v2', 'STS22.v2', 'StackExchangeClustering.v2', 'StackExchangeClusteringP2P.v2',
      'SummEvalSummarization.v2', 'Touche2020Retrieval.v3', 'TwentyNewsgroupsClustering.v2',
    ]);
  });

  test('classification sampling parameters', () => {
    const spl = Object.fromEntries(loadRegistry().filter((t) => t.type === 'Classification').map((t) => [t.id, t.samples_per_label]));
    expect(spl).toEqual({
      AmazonCounterfactualClassification: 32, 'AmazonCounterfactualClassification@v2': 32, AmazonPolarityClassification: 8,
      AmazonReviewsClassification: 8, Banking77Classification: 8, EmotionClassification: 16, ImdbClassification: 8,
      MassiveIntentClassification: 8, MassiveScenarioClassification: 8, MTOPDomainClassification: 8,
      'MTOPDomainClassification@v2': 8, MTOPIntentClassification: 8, ToxicConversationsClassification: 16,
      TweetSentimentExtractionClassification: 32,
    });
    const tox = getTask('ToxicConversationsClassification');
    expect([tox.test_subsample_size, tox.n_experiments, tox.train_split]).toEqual([2048, 10, 'train']);
    expect(getTask('ImdbClassification').test_subsample_size).toBeUndefined();
  });

  test('retrieval flags: ignore_identical_ids (mteb >= 1.12.53 per task), symmetric Quora, MindSmall v2 sub-queries', () => {
    const ign = loadRegistry().filter((t) => t.ignore_identical_ids).map((t) => t.id).sort();
    expect(ign).toEqual(['ArguAna', 'FEVER', 'FEVERHardNegatives', 'FiQA2018', 'MSMARCO', 'QuoraRetrieval']);
    const rr = loadRegistry().filter((t) => t.type === 'Retrieval' || t.type === 'Reranking');
    expect(rr.every((t) => typeof t.ignore_identical_ids === 'boolean' || t.aggregate_of)).toBe(true);
    expect(loadRegistry().filter((t) => t.symmetric).map((t) => t.id)).toEqual(['QuoraRetrieval']);
    expect(getTask('MindSmallReranking@v2').max_over_subqueries).toBe(true);
    expect(getTask('MindSmallReranking').max_over_subqueries).toBeUndefined();
    expect(getTask('MSMARCO').eval_splits).toEqual(['dev']);
  });

  test('clustering, STS and summarization parameters', () => {
    const clu = loadRegistry().filter((t) => t.type === 'Clustering');
    expect(clu.filter((t) => t.clustering_variant === 'legacy')).toHaveLength(11);
    const fast = clu.filter((t) => t.clustering_variant === 'fast');
    expect(fast.map((t) => [t.id, t.max_fraction_of_documents_to_embed, t.max_documents_per_cluster, t.n_bootstrap_rounds])).toContainEqual(
      ['StackExchangeClustering.v2', null, 16384, 10],
    );
    expect(fast.filter((t) => t.max_fraction_of_documents_to_embed === 0.04)).toHaveLength(7);
    expect([getTask('STS22').min_score, getTask('STS22').max_score, getTask('STS22.v2').max_score, getTask('STS12').max_score]).toEqual([1, 4, 4, 5]);
    expect(getTask('SummEval').summarization_variant).toBe('legacy');
    expect(getTask('SummEvalSummarization.v2').summarization_variant).toBe('fixed');
  });

  test('instructions: NVIDIA file first, then mteb prompt, else null', () => {
    expect(getTask('ArguAna').instruction).toEqual({
      query: 'Given a claim, retrieve documents that support or refute the claim', passage: null, source: 'nvembed-instructions.json',
    });
    expect(getTask('QuoraRetrieval').instruction?.passage).toBe(getTask('QuoraRetrieval').instruction?.query);
    expect(getTask('STS22.v2').instruction).toEqual({ query: 'Retrieve semantically similar text', passage: null, source: 'nvembed-instructions.json' });
    expect(getTask('SummEvalSummarization.v2').instruction?.query).toBe('Given a news summary, retrieve other semantically similar summaries');
    expect(getTask('Banking77Classification').instruction).toEqual({
      query: 'Given a online banking query, find the corresponding intents', source: 'mteb-prompt',
    });
    expect(getTask('StackExchangeClustering.v2').instruction?.source).toBe('mteb-prompt');
    for (const f of FORUMS) expect(getTask(`CQADupstack${f}Retrieval`).instruction).toBeNull();
    expect(getTask('ClimateFEVERHardNegatives').instruction).toBeNull();
  });

  test('CQADupstackRetrieval aggregates the 12 forums; expandAggregates replaces it', () => {
    expect(getTask('CQADupstackRetrieval').aggregate_of).toEqual(FORUMS.map((f) => `CQADupstack${f}Retrieval`));
    const ex = expandAggregates(resolveTasks(['ArguAna,CQADupstackRetrieval,CQADupstackGamingRetrieval']));
    expect(ex.map((t) => t.name)).toEqual(['ArguAna', ...FORUMS.map((f) => `CQADupstack${f}Retrieval`)]);
  });

  test('@v2 variants keep the mteb name', () => {
    expect(getTask('AskUbuntuDupQuestions@v2').name).toBe('AskUbuntuDupQuestions');
    expect(getTask('AskUbuntuDupQuestions').main_score).toBe('map');
    expect(getTask('AskUbuntuDupQuestions').dataset.path).toBe('mteb/askubuntudupquestions-reranking');
  });
});

describe('getTask / resolveTasks', () => {
  test('unknown name: E_UNKNOWN_TASK with close names', () => {
    const e = thrown(() => getTask('ArguAnna'));
    expect(e.code).toBe('E_UNKNOWN_TASK');
    expect(formatError(e)).toBe('error[E_UNKNOWN_TASK] task ArguAnna: unknown task "ArguAnna"; did you mean "ArguAna"?');
    expect(thrown(() => getTask('STS22v2')).message).toContain('"STS22.v2"');
    expect(thrown(() => getTask('zzzzzzzzzzzzzz')).message).toContain('mteb-ts tasks');
  });

  test('comma-separated and repeated names, de-duplicated, in order', () => {
    expect(resolveTasks(['STS12,ArguAna', 'STS12', ' SciFact '], { cwd: '/' }).map((t) => t.name)).toEqual(['STS12', 'ArguAna', 'SciFact']);
    expect(thrown(() => resolveTasks([], {})).code).toBe('E_USAGE');
  });

  test('task files and folders resolve against cwd; source_dir is set', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mteb-reg-'));
    mkdirSync(join(dir, 'mine'));
    const spec = { name: 'MyTask', type: 'STS', dataset: { path: './data' }, eval_splits: ['test'], main_score: 'cosine_spearman' };
    writeFileSync(join(dir, 'mine', 'task.json'), JSON.stringify(spec));
    const [a, b] = resolveTasks(['mine/task.json,ArguAna'], { cwd: dir });
    expect([a.name, a.source_dir, b.name]).toEqual(['MyTask', join(dir, 'mine'), 'ArguAna']);
    expect(resolveTasks(['./mine'], { cwd: dir })[0].name).toBe('MyTask');
    const miss = thrown(() => resolveTasks(['nope/task.json'], { cwd: dir }));
    expect([miss.code, miss.location.file]).toEqual(['E_FILE_MISSING', join(dir, 'nope/task.json')]);
  });
});

describe('task-file validation errors', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mteb-schema-'));
  const write = (name: string, text: string) => {
    const f = join(dir, name);
    writeFileSync(f, text);
    return f;
  };
  const good = { name: 'T', type: 'Retrieval', dataset: { path: 'org/x', revision: 'abc' }, eval_splits: ['test'], main_score: 'ndcg_at_10' };

  test('missing required field', () => {
    const { main_score: _m, ...rest } = good;
    const f = write('a.json', JSON.stringify(rest, null, 2));
    const e = thrown(() => loadTaskFile(f));
    expect([e.code, e.location.file, e.location.field, e.message]).toEqual(['E_TASK_SCHEMA', f, 'main_score', '$.main_score: required field is missing']);
  });

  test('bad value names JSON path and line', () => {
    const f = write('b.json', JSON.stringify({ ...good, type: 'Retreival', samples_per_label: 0 }, null, 2));
    const e = thrown(() => loadTaskFile(f));
    expect(e.location.line).toBe(3);
    expect(e.message).toBe(
      '$.type: expected one of "Retrieval", "Reranking", "Classification", "Clustering", "PairClassification", "STS", "Summarization", "BitextMining", got "Retreival" (and 1 more: $.samples_per_label)',
    );
  });

  test('unknown field, nested dataset field, wrong list type', () => {
    expect(taskSchemaIssues({ ...good, samples_per_lable: 8 })[0]).toMatchObject({ path: '$.samples_per_lable' });
    expect(taskSchemaIssues({ ...good, dataset: { path: 'x', rev: '1' } })).toEqual([{ path: '$.dataset.rev', message: 'unknown field (allowed: path, revision)' }]);
    expect(taskSchemaIssues({ ...good, eval_splits: 'test' })[0].message).toBe('expected a non-empty array of strings, got "test"');
    expect(taskSchemaIssues({ ...good, type: 'STS', min_score: 5, max_score: 0 })[0].path).toBe('$.max_score');
    // Each type takes only its own fields: another type's field is named as such, not silently accepted.
    expect(taskSchemaIssues({ ...good, min_score: 0 })).toEqual([{ path: '$.min_score', message: 'field of task type STS / Summarization, not Retrieval' }]);
    expect(taskSchemaIssues({ ...good, type: 'Classification', ignore_identical_ids: true })).toEqual([
      { path: '$.ignore_identical_ids', message: 'field of task type Retrieval / Reranking, not Classification' },
    ]);
    expect(taskSchemaIssues({ ...good, instruction: { query: 'q' } })[0].path).toBe('$.instruction.source');
  });

  test('invalid JSON gives E_PARSE with the line', () => {
    const f = write('c.json', '{\n  "name": "T",\n  "type": \n}');
    const e = thrown(() => loadTaskFile(f));
    expect([e.code, e.location.line]).toEqual(['E_PARSE', 4]);
  });
});

describe('task-file round trip', () => {
  test('a registry entry printed as JSON loads back as a task file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mteb-rt-'));
    const entry = getTask('MindSmallReranking@v2');
    writeFileSync(join(dir, 'task.json'), JSON.stringify(entry, null, 2));
    const back = loadTaskFile(join(dir, 'task.json'));
    const { id: _id, ...rest } = entry;
    expect(back).toEqual({ ...rest, id: 'MindSmallReranking@v2', source_dir: dir });
  });
});

describe('benchmarks', () => {
  test('benchmarks.json shape errors name the field', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mteb-bm-'));
    const f = join(dir, 'b.json');
    writeFileSync(f, JSON.stringify({ benchmarks: [{ name: 'B', description: '', tasks: ['A'], scoring: { splitOverrides: { Z: 'dev' } } }] }));
    const e = thrown(() => readBenchmarksFile(f));
    expect([e.code, e.location.field, e.message]).toEqual(['E_TASK_SCHEMA', 'benchmarks[0].scoring.splitOverrides.Z', '"Z" is not one of this benchmark\'s tasks']);
    writeFileSync(f, JSON.stringify({ benchmarks: [{ name: 'B', description: '', tasks: ['A'], scoring: { metrics: 'x' } }] }));
    expect(thrown(() => readBenchmarksFile(f)).location.field).toBe('benchmarks[0].scoring.metrics');
  });

  test('names and aliases; unknown names suggest', () => {
    expect(getBenchmark('MTEB(eng, classic)').name).toBe('MTEB(eng, v1)');
    expect(getBenchmark('mteb(eng)').name).toBe('MTEB(eng, v2)');
    const e = thrown(() => getBenchmark('MTEB(eng, v3)'));
    expect(e.code).toBe('E_UNKNOWN_BENCHMARK');
    expect(e.message).toContain('did you mean');
  });

  test('scoring resolves split, subsets, metric and revision per task', () => {
    const v1 = benchmarkScoring(getBenchmark('MTEB(eng, v1)'));
    const by = Object.fromEntries(v1.map((s) => [s.id, s]));
    expect(by.MSMARCO).toMatchObject({ split: 'dev', subsets: ['default'], metric: 'main_score' });
    expect(by.STS17.subsets).toEqual(['en-en']);
    expect(by.CQADupstackRetrieval.aggregate_of).toHaveLength(12);
    expect(by.CQADupstackRetrieval.dataset_revision).toBeUndefined();
    const orig = benchmarkScoring(getBenchmark('MTEB(eng, v1)'), 'original-leaderboard');
    expect(orig.filter((s) => s.metric !== 'main_score').map((s) => [s.id, s.metric])).toEqual([
      ['SprintDuplicateQuestions', 'cosine_ap'], ['TwitterSemEval2015', 'cosine_ap'], ['TwitterURLCorpus', 'cosine_ap'],
    ]);
    const v2 = Object.fromEntries(benchmarkScoring(getBenchmark('MTEB(eng, v2)')).map((s) => [s.id, s]));
    expect(v2['AskUbuntuDupQuestions@v2']).toMatchObject({ name: 'AskUbuntuDupQuestions', dataset_revision: 'c5691e3c48741d5f83b5cc8e630653d7a8cfc048' });
    expect(benchmarkScoring(getBenchmark('BEIR')).map((s) => s.type)).toEqual(Array(15).fill('Retrieval'));
  });
});

describe('task names cannot escape the output folder', () => {
  test('a name with a path separator or a leading dot is a schema error', async () => {
    const { taskSchemaIssues } = await import('../../src/registry/index.js');
    const base = { type: 'STS', dataset: { path: '.' }, eval_splits: ['test'], main_score: 'cosine_spearman' };
    for (const name of ['../../../esc/X', 'a/b', '..', '.hidden']) {
      expect(taskSchemaIssues({ ...base, name }).map((i) => i.path)).toContain('$.name');
    }
    expect(taskSchemaIssues({ ...base, name: 'STS22.v2' })).toEqual([]);
  });
});
