import { describe, test, expect } from '@jest/globals';
import { tasksCommand } from '../../src/cli/commands/tasks.js';
import { benchmarksCommand } from '../../src/cli/commands/benchmarks.js';
import type { TaskSpec } from '../../src/task-types/spec.js';

async function capture(fn: () => Promise<number>): Promise<{ code: number; out: string }> {
  const orig = process.stdout.write.bind(process.stdout);
  const origErr = process.stderr.write.bind(process.stderr);
  let out = '';
  (process.stdout as any).write = (s: string) => ((out += s), true);
  (process.stderr as any).write = () => true;
  try {
    const code = await fn();
    return { code, out };
  } finally {
    (process.stdout as any).write = orig;
    (process.stderr as any).write = origErr;
  }
}

/** mteb-protocol.md §3.1, row by row: name, type, split, main score (our result keys), dataset, revision, subset. */
const V1: string[][] = [
  ['AmazonCounterfactualClassification', 'Classification', 'test', 'accuracy', 'mteb/amazon_counterfactual', 'e8379541af4e31359cca9fbcf4b00f2671dba205', 'en'],
  ['AmazonPolarityClassification', 'Classification', 'test', 'accuracy', 'mteb/amazon_polarity', 'e2d317d38cd51312af73b3d32a06d1a08b442046', 'default'],
  ['AmazonReviewsClassification', 'Classification', 'test', 'accuracy', 'mteb/amazon_reviews_multi', '1399c76144fd37290681b995c656ef9b2e06e26d', 'en'],
  ['Banking77Classification', 'Classification', 'test', 'accuracy', 'mteb/banking77', '0fd18e25b25c072e09e0d92ab615fda904d66300', 'default'],
  ['EmotionClassification', 'Classification', 'test', 'accuracy', 'mteb/emotion', '4f58c6b202a23cf9a4da393831edf4f9183cad37', 'default'],
  ['ImdbClassification', 'Classification', 'test', 'accuracy', 'mteb/imdb', '3d86128a09e091d6018b6d26cad27f2739fc2db7', 'default'],
  ['MassiveIntentClassification', 'Classification', 'test', 'accuracy', 'mteb/amazon_massive_intent', '4672e20407010da34463acc759c162ca9734bca6', 'en'],
  ['MassiveScenarioClassification', 'Classification', 'test', 'accuracy', 'mteb/amazon_massive_scenario', 'fad2c6e8459f9e1c45d9315f4953d921437d70f8', 'en'],
  ['MTOPDomainClassification', 'Classification', 'test', 'accuracy', 'mteb/mtop_domain', 'd80d48c1eb48d3562165c59d59d0034df9fff0bf', 'en'],
  ['MTOPIntentClassification', 'Classification', 'test', 'accuracy', 'mteb/mtop_intent', 'ae001d0e6b1228650b7bd1c2c65fb50ad11a8aba', 'en'],
  ['ToxicConversationsClassification', 'Classification', 'test', 'accuracy', 'mteb/toxic_conversations_50k', 'edfaf9da55d3dd50d43143d90c1ac476895ae6de', 'default'],
  ['TweetSentimentExtractionClassification', 'Classification', 'test', 'accuracy', 'mteb/tweet_sentiment_extraction', 'd604517c81ca91fe16a244d1248fc021f9ecee7a', 'default'],
  ['ArxivClusteringP2P', 'Clustering', 'test', 'v_measure', 'mteb/arxiv-clustering-p2p', 'a122ad7f3f0291bf49cc6f4d32aa80929df69d5d', 'default'],
  ['ArxivClusteringS2S', 'Clustering', 'test', 'v_measure', 'mteb/arxiv-clustering-s2s', 'f910caf1a6075f7329cdf8c1a6135696f37dbd53', 'default'],
  ['BiorxivClusteringP2P', 'Clustering', 'test', 'v_measure', 'mteb/biorxiv-clustering-p2p', '65b79d1d13f80053f67aca9498d9402c2d9f1f40', 'default'],
  ['BiorxivClusteringS2S', 'Clustering', 'test', 'v_measure', 'mteb/biorxiv-clustering-s2s', '258694dd0231531bc1fd9de6ceb52a0853c6d908', 'default'],
  ['MedrxivClusteringP2P', 'Clustering', 'test', 'v_measure', 'mteb/medrxiv-clustering-p2p', 'e7a26af6f3ae46b30dde8737f02c07b1505bcc73', 'default'],
  ['MedrxivClusteringS2S', 'Clustering', 'test', 'v_measure', 'mteb/medrxiv-clustering-s2s', '35191c8c0dca72d8ff3efcd72aa802307d469663', 'default'],
  ['RedditClustering', 'Clustering', 'test', 'v_measure', 'mteb/reddit-clustering', '24640382cdbf8abc73003fb0fa6d111a705499eb', 'default'],
  ['RedditClusteringP2P', 'Clustering', 'test', 'v_measure', 'mteb/reddit-clustering-p2p', '385e3cb46b4cfa89021f56c4380204149d0efe33', 'default'],
  ['StackExchangeClustering', 'Clustering', 'test', 'v_measure', 'mteb/stackexchange-clustering', '6cbc1f7b2bc0622f2e39d2c77fa502909748c259', 'default'],
  ['StackExchangeClusteringP2P', 'Clustering', 'test', 'v_measure', 'mteb/stackexchange-clustering-p2p', '815ca46b2622cec33ccafc3735d572c266efdb44', 'default'],
  ['TwentyNewsgroupsClustering', 'Clustering', 'test', 'v_measure', 'mteb/twentynewsgroups-clustering', '6125ec4e24fa026cec8a478383ee943acfbd5449', 'default'],
  ['SprintDuplicateQuestions', 'PairClassification', 'test', 'max_ap', 'mteb/sprintduplicatequestions-pairclassification', 'd66bd1f72af766a5cc4b0ca5e00c162f89e8cc46', 'default'],
  ['TwitterSemEval2015', 'PairClassification', 'test', 'max_ap', 'mteb/twittersemeval2015-pairclassification', '70970daeab8776df92f5ea462b6173c0b46fd2d1', 'default'],
  ['TwitterURLCorpus', 'PairClassification', 'test', 'max_ap', 'mteb/twitterurlcorpus-pairclassification', '8b6510b0b1fa4e4c4f879467980e9be563ec1cdf', 'default'],
  ['AskUbuntuDupQuestions', 'Reranking', 'test', 'map', 'mteb/askubuntudupquestions-reranking', '2000358ca161889fa9c082cb41daa8dcfb161a54', 'default'],
  ['MindSmallReranking', 'Reranking', 'test', 'map', 'mteb/mind_small', '59042f120c80e8afa9cdbb224f67076cec0fc9a7', 'default'],
  ['SciDocsRR', 'Reranking', 'test', 'map', 'mteb/scidocs-reranking', 'd3c5e1fc0b855ab6097bf1cda04dd73947d7caab', 'default'],
  ['StackOverflowDupQuestions', 'Reranking', 'test', 'map', 'mteb/stackoverflowdupquestions-reranking', 'e185fbe320c72810689fc5848eb6114e1ef5ec69', 'default'],
  ['ArguAna', 'Retrieval', 'test', 'ndcg_at_10', 'mteb/arguana', 'c22ab2a51041ffd869aaddef7af8d8215647e41a', 'default'],
  ['ClimateFEVER', 'Retrieval', 'test', 'ndcg_at_10', 'mteb/climate-fever', '47f2ac6acb640fc46020b02a5b59fdda04d39380', 'default'],
  ['CQADupstackRetrieval', 'Retrieval', 'test', 'ndcg_at_10', 'aggregate:CQADupstackRetrieval', '1', 'default'],
  ['DBPedia', 'Retrieval', 'test', 'ndcg_at_10', 'mteb/dbpedia', 'c0f706b76e590d620bd6618b3ca8efdd34e2d659', 'default'],
  ['FEVER', 'Retrieval', 'test', 'ndcg_at_10', 'mteb/fever', 'bea83ef9e8fb933d90a2f1d5515737465d613e12', 'default'],
  ['FiQA2018', 'Retrieval', 'test', 'ndcg_at_10', 'mteb/fiqa', '27a168819829fe9bcd655c2df245fb19452e8e06', 'default'],
  ['HotpotQA', 'Retrieval', 'test', 'ndcg_at_10', 'mteb/hotpotqa', 'ab518f4d6fcca38d87c25209f94beba119d02014', 'default'],
  ['MSMARCO', 'Retrieval', 'dev', 'ndcg_at_10', 'mteb/msmarco', 'c5a29a104738b98a9e76336939199e264163d4a0', 'default'],
  ['NFCorpus', 'Retrieval', 'test', 'ndcg_at_10', 'mteb/nfcorpus', 'ec0fa4fe99da2ff19ca1214b7966684033a58814', 'default'],
  ['NQ', 'Retrieval', 'test', 'ndcg_at_10', 'mteb/nq', 'b774495ed302d8c44a3a7ea25c90dbce03968f31', 'default'],
  ['QuoraRetrieval', 'Retrieval', 'test', 'ndcg_at_10', 'mteb/quora', 'e4e08e0b7dbe3c8700f0daef558ff32256715259', 'default'],
  ['SCIDOCS', 'Retrieval', 'test', 'ndcg_at_10', 'mteb/scidocs', 'f8c2fcf00f625baaa80f62ec5bd9e1fff3b8ae88', 'default'],
  ['SciFact', 'Retrieval', 'test', 'ndcg_at_10', 'mteb/scifact', '0228b52cf27578f30900b9e5271d331663a030d7', 'default'],
  ['Touche2020', 'Retrieval', 'test', 'ndcg_at_10', 'mteb/touche2020', 'a34f9a33db75fa0cbb21bb5cfc3dae8dc8bec93f', 'default'],
  ['TRECCOVID', 'Retrieval', 'test', 'ndcg_at_10', 'mteb/trec-covid', 'bb9466bac8153a0349341eb1b22e06409e78ef4e', 'default'],
  ['BIOSSES', 'STS', 'test', 'cosine_spearman', 'mteb/biosses-sts', 'd3fb88f8f02e40887cd149695127462bbcf29b4a', 'default'],
  ['SICK-R', 'STS', 'test', 'cosine_spearman', 'mteb/sickr-sts', '20a6d6f312dd54037fe07a32d58e5e168867909d', 'default'],
  ['STS12', 'STS', 'test', 'cosine_spearman', 'mteb/sts12-sts', 'a0d554a64d88156834ff5ae9920b964011b16384', 'default'],
  ['STS13', 'STS', 'test', 'cosine_spearman', 'mteb/sts13-sts', '7e90230a92c190f1bf69ae9002b8cea547a64cca', 'default'],
  ['STS14', 'STS', 'test', 'cosine_spearman', 'mteb/sts14-sts', '6031580fec1f6af667f0bd2da0a551cf4f0b2375', 'default'],
  ['STS15', 'STS', 'test', 'cosine_spearman', 'mteb/sts15-sts', 'ae752c7c21bf194d8b67fd573edf7ae58183cbe3', 'default'],
  ['STS16', 'STS', 'test', 'cosine_spearman', 'mteb/sts16-sts', '4d8694f8f0e0100860b497b999b3dbed754a0513', 'default'],
  ['STS17', 'STS', 'test', 'cosine_spearman', 'mteb/sts17-crosslingual-sts', 'faeb762787bd10488a50c8b5be4a3b82e411949c', 'en-en'],
  ['STS22', 'STS', 'test', 'cosine_spearman', 'mteb/sts22-crosslingual-sts', 'de9d86b3b84231dc21f76c7b7af1f28e2f57f6e3', 'en'],
  ['STSBenchmark', 'STS', 'test', 'cosine_spearman', 'mteb/stsbenchmark-sts', 'b0fddb56ed78048fa8b90373c8a3cfc37b684831', 'default'],
  ['SummEval', 'Summarization', 'test', 'cosine_spearman', 'mteb/summeval', 'cda12ad7615edc362dbf25a00fdd61d3b1eaf93c', 'default'],
];

/** mteb-protocol.md §3.2 with full revisions from mteb HEAD a905523d (benchmarks.py MTEB_EN). */
const V2: string[][] = [
  ['AmazonCounterfactualClassification@v2', 'Classification', 'accuracy', 'mteb/amazon_counterfactual', '1f7e6a9d6fa6e64c53d146e428565640410c0df1', 'en'],
  ['Banking77Classification', 'Classification', 'accuracy', 'mteb/banking77', '0fd18e25b25c072e09e0d92ab615fda904d66300', 'default'],
  ['ImdbClassification', 'Classification', 'accuracy', 'mteb/imdb', '3d86128a09e091d6018b6d26cad27f2739fc2db7', 'default'],
  ['MTOPDomainClassification@v2', 'Classification', 'accuracy', 'mteb/MTOPDomainClassification', 'a76d16fae880597b9c73047b50159220a441cb54', 'en'],
  ['MassiveIntentClassification', 'Classification', 'accuracy', 'mteb/amazon_massive_intent', '4672e20407010da34463acc759c162ca9734bca6', 'en'],
  ['MassiveScenarioClassification', 'Classification', 'accuracy', 'mteb/amazon_massive_scenario', 'fad2c6e8459f9e1c45d9315f4953d921437d70f8', 'en'],
  ['ToxicConversationsClassification', 'Classification', 'accuracy', 'mteb/toxic_conversations_50k', 'edfaf9da55d3dd50d43143d90c1ac476895ae6de', 'default'],
  ['TweetSentimentExtractionClassification', 'Classification', 'accuracy', 'mteb/tweet_sentiment_extraction', 'd604517c81ca91fe16a244d1248fc021f9ecee7a', 'default'],
  ['ArXivHierarchicalClusteringP2P', 'Clustering', 'v_measure', 'mteb/arxiv-clustering-p2p', '0bbdb47bcbe3a90093699aefeed338a0f28a7ee8', 'default'],
  ['ArXivHierarchicalClusteringS2S', 'Clustering', 'v_measure', 'mteb/arxiv-clustering-s2s', 'b73bd54100e5abfa6e3a23dcafb46fe4d2438dc3', 'default'],
  ['BiorxivClusteringP2P.v2', 'Clustering', 'v_measure', 'mteb/biorxiv-clustering-p2p', 'f5dbc242e11dd8e24def4c4268607a49e02946dc', 'default'],
  ['MedrxivClusteringP2P.v2', 'Clustering', 'v_measure', 'mteb/medrxiv-clustering-p2p', 'e7a26af6f3ae46b30dde8737f02c07b1505bcc73', 'default'],
  ['MedrxivClusteringS2S.v2', 'Clustering', 'v_measure', 'mteb/medrxiv-clustering-s2s', '35191c8c0dca72d8ff3efcd72aa802307d469663', 'default'],
  ['StackExchangeClustering.v2', 'Clustering', 'v_measure', 'mteb/stackexchange-clustering', '6cbc1f7b2bc0622f2e39d2c77fa502909748c259', 'default'],
  ['StackExchangeClusteringP2P.v2', 'Clustering', 'v_measure', 'mteb/stackexchange-clustering-p2p', '815ca46b2622cec33ccafc3735d572c266efdb44', 'default'],
  ['TwentyNewsgroupsClustering.v2', 'Clustering', 'v_measure', 'mteb/twentynewsgroups-clustering', '6125ec4e24fa026cec8a478383ee943acfbd5449', 'default'],
  ['SprintDuplicateQuestions', 'PairClassification', 'max_ap', 'mteb/sprintduplicatequestions-pairclassification', 'd66bd1f72af766a5cc4b0ca5e00c162f89e8cc46', 'default'],
  ['TwitterSemEval2015', 'PairClassification', 'max_ap', 'mteb/twittersemeval2015-pairclassification', '70970daeab8776df92f5ea462b6173c0b46fd2d1', 'default'],
  ['TwitterURLCorpus', 'PairClassification', 'max_ap', 'mteb/twitterurlcorpus-pairclassification', '8b6510b0b1fa4e4c4f879467980e9be563ec1cdf', 'default'],
  ['AskUbuntuDupQuestions@v2', 'Reranking', 'map_at_1000', 'mteb/AskUbuntuDupQuestions', 'c5691e3c48741d5f83b5cc8e630653d7a8cfc048', 'default'],
  ['MindSmallReranking@v2', 'Reranking', 'max_over_subqueries_map_at_1000', 'mteb/MindSmallReranking', '227478e3235572039f4f7661840e059f31ef6eb1', 'default'],
  ['ArguAna', 'Retrieval', 'ndcg_at_10', 'mteb/arguana', 'c22ab2a51041ffd869aaddef7af8d8215647e41a', 'default'],
  ['CQADupstackGamingRetrieval', 'Retrieval', 'ndcg_at_10', 'mteb/cqadupstack-gaming', '4885aa143210c98657558c04aaf3dc47cfb54340', 'default'],
  ['CQADupstackUnixRetrieval', 'Retrieval', 'ndcg_at_10', 'mteb/cqadupstack-unix', '6c6430d3a6d36f8d2a829195bc5dc94d7e063e53', 'default'],
  ['ClimateFEVERHardNegatives', 'Retrieval', 'ndcg_at_10', 'mteb/ClimateFEVER_test_top_250_only_w_correct-v2', '3a309e201f3c2c4b13bd4a367a8f37eee2ec1d21', 'default'],
  ['FEVERHardNegatives', 'Retrieval', 'ndcg_at_10', 'mteb/FEVER_test_top_250_only_w_correct-v2', '080c9ed6267b65029207906e815d44a9240bafca', 'default'],
  ['FiQA2018', 'Retrieval', 'ndcg_at_10', 'mteb/fiqa', '27a168819829fe9bcd655c2df245fb19452e8e06', 'default'],
  ['HotpotQAHardNegatives', 'Retrieval', 'ndcg_at_10', 'mteb/HotpotQA_test_top_250_only_w_correct-v2', '617612fa63afcb60e3b134bed8b7216a99707c37', 'default'],
  ['SCIDOCS', 'Retrieval', 'ndcg_at_10', 'mteb/scidocs', 'f8c2fcf00f625baaa80f62ec5bd9e1fff3b8ae88', 'default'],
  ['TRECCOVID', 'Retrieval', 'ndcg_at_10', 'mteb/trec-covid', 'bb9466bac8153a0349341eb1b22e06409e78ef4e', 'default'],
  ['Touche2020Retrieval.v3', 'Retrieval', 'ndcg_at_10', 'mteb/webis-touche2020-v3', '431886eaecc48f067a3975b70d0949ea2862463c', 'default'],
  ['BIOSSES', 'STS', 'cosine_spearman', 'mteb/biosses-sts', 'd3fb88f8f02e40887cd149695127462bbcf29b4a', 'default'],
  ['SICK-R', 'STS', 'cosine_spearman', 'mteb/sickr-sts', '20a6d6f312dd54037fe07a32d58e5e168867909d', 'default'],
  ['STS12', 'STS', 'cosine_spearman', 'mteb/sts12-sts', 'a0d554a64d88156834ff5ae9920b964011b16384', 'default'],
  ['STS13', 'STS', 'cosine_spearman', 'mteb/sts13-sts', '7e90230a92c190f1bf69ae9002b8cea547a64cca', 'default'],
  ['STS14', 'STS', 'cosine_spearman', 'mteb/sts14-sts', '6031580fec1f6af667f0bd2da0a551cf4f0b2375', 'default'],
  ['STS15', 'STS', 'cosine_spearman', 'mteb/sts15-sts', 'ae752c7c21bf194d8b67fd573edf7ae58183cbe3', 'default'],
  ['STS17', 'STS', 'cosine_spearman', 'mteb/sts17-crosslingual-sts', 'faeb762787bd10488a50c8b5be4a3b82e411949c', 'en-en'],
  ['STS22.v2', 'STS', 'cosine_spearman', 'mteb/sts22-crosslingual-sts', 'd31f33a128469b20e357535c39b82fb3c3f6f2bd', 'en'],
  ['STSBenchmark', 'STS', 'cosine_spearman', 'mteb/stsbenchmark-sts', 'b0fddb56ed78048fa8b90373c8a3cfc37b684831', 'default'],
  ['SummEvalSummarization.v2', 'Summarization', 'cosine_spearman', 'mteb/summeval', 'cda12ad7615edc362dbf25a00fdd61d3b1eaf93c', 'default'],
];

type Entry = TaskSpec & { id: string };
const sub = (t: TaskSpec) => (t.hf_subsets ?? ['default']).join(',');

describe('mteb-ts tasks --benchmark', () => {
  test('MTEB(eng, v1): exactly the 56 tasks with type, split, main score, dataset@revision and subset', async () => {
    const { code, out } = await capture(() => tasksCommand.handler({ benchmark: 'MTEB(eng, v1)', json: true }));
    expect(code).toBe(0);
    const got = (JSON.parse(out) as Entry[]).map((t) => [
      t.id, t.type, t.eval_splits.join(','), t.main_score, t.dataset.path, t.dataset.revision ?? '', sub(t),
    ]);
    expect(got).toHaveLength(56);
    expect(got.sort()).toEqual([...V1].sort());
    const byType: Record<string, number> = {};
    for (const r of got) byType[r[1]] = (byType[r[1]] ?? 0) + 1;
    expect(byType).toEqual({ Classification: 12, Clustering: 11, PairClassification: 3, Reranking: 4, Retrieval: 15, STS: 10, Summarization: 1 });
  });

  test('MTEB(eng) alias = MTEB(eng, v2): exactly the 41 tasks, all on test', async () => {
    const { out } = await capture(() => tasksCommand.handler({ benchmark: 'MTEB(eng)', json: true }));
    const tasks = JSON.parse(out) as Entry[];
    expect(tasks.every((t) => t.eval_splits.join() === 'test')).toBe(true);
    const got = tasks.map((t) => [t.id, t.type, t.main_score, t.dataset.path, t.dataset.revision ?? '', sub(t)]);
    expect(got.sort()).toEqual([...V2].sort());
  });

  test('--type filters case-insensitively; the table lists id, split and main score', async () => {
    const { out } = await capture(() => tasksCommand.handler({ benchmark: 'MTEB(eng, v2)', type: 'reranking' }));
    expect(out).toContain('AskUbuntuDupQuestions@v2');
    expect(out).toContain('max_over_subqueries_map_at_1000');
    expect(out).not.toContain('ArguAna');
    await expect(tasksCommand.handler({ type: 'Rerank' })).rejects.toMatchObject({ code: 'E_USAGE' });
  });

  test('benchmarks command lists the four benchmarks with task counts', async () => {
    const { out } = await capture(() => benchmarksCommand.handler({ json: true }));
    const b = JSON.parse(out) as { name: string; tasks: string[] }[];
    expect(b.map((x) => [x.name, x.tasks.length])).toEqual([['MTEB(eng, v1)', 56], ['MTEB(eng, v2)', 41], ['BEIR', 15], ['demo', 8]]);
  });
});
