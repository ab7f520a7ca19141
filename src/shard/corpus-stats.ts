/**
 * Sizes of the big public retrieval corpora, for the shard cost model (src/shard/cost.ts): documents, queries
 * and the average words per document, from the BEIR paper's table (Thakur et al. 2021, Table 1) as used in
 * docs/scaling.md ("Cost model"). Tasks not listed here are sized from their local files or a default.
 * CQADupstack's 12 forums are listed with the suite's totals split evenly (457,199 documents, 13,145 queries):
 * the per-forum counts are not in that table, and the split only feeds a balancing estimate.
 */
export interface CorpusStats {
  documents: number;
  queries: number;
  wordsPerDocument: number;
}

const CQA: CorpusStats = { documents: Math.round(457_199 / 12), queries: Math.round(13_145 / 12), wordsPerDocument: 129 };

export const CORPUS_STATS: Readonly<Record<string, CorpusStats>> = {
  MSMARCO: { documents: 8_841_823, queries: 6_980, wordsPerDocument: 56 },
  FEVER: { documents: 5_416_568, queries: 6_666, wordsPerDocument: 84 },
  ClimateFEVER: { documents: 5_416_593, queries: 1_535, wordsPerDocument: 84 },
  HotpotQA: { documents: 5_233_329, queries: 7_405, wordsPerDocument: 46 },
  DBPedia: { documents: 4_635_922, queries: 400, wordsPerDocument: 50 },
  NQ: { documents: 2_681_468, queries: 3_452, wordsPerDocument: 79 },
  QuoraRetrieval: { documents: 522_931, queries: 10_000, wordsPerDocument: 11 },
  Touche2020: { documents: 382_545, queries: 49, wordsPerDocument: 292 },
  TRECCOVID: { documents: 171_332, queries: 50, wordsPerDocument: 161 },
  FiQA2018: { documents: 57_638, queries: 648, wordsPerDocument: 132 },
  SCIDOCS: { documents: 25_657, queries: 1_000, wordsPerDocument: 176 },
  ArguAna: { documents: 8_674, queries: 1_406, wordsPerDocument: 167 },
  SciFact: { documents: 5_183, queries: 300, wordsPerDocument: 214 },
  NFCorpus: { documents: 3_633, queries: 323, wordsPerDocument: 232 },
  ...Object.fromEntries(
    ['Android', 'English', 'Gaming', 'Gis', 'Mathematica', 'Physics', 'Programmers', 'Stats', 'Tex', 'Unix', 'Webmasters', 'Wordpress'].map((f) => [
      `CQADupstack${f}Retrieval`,
      CQA,
    ]),
  ),
};
