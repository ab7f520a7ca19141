// Peak RSS of a whole retrieval `run` (load, embed with hash:64, exact search, score, write) over a generated BEIR
// corpus of >= 1 GB of JSONL, corpus text streamed from the file (the default above 64 MiB of text) vs held in
// memory (MTEB_TS_CORPUS_TEXT_IN_MEMORY_BYTES=Infinity, the old behaviour). Each mode runs the CLI in a fresh
// process under /usr/bin/time (its max RSS). The corpus is written to the OS temp folder and removed afterwards.
// With --max-old-space-size=384 (`*-capped` modes) a run fits in a fixed V8 heap only where the text streams.
// Run: node bin/run-ts.js bench/memory/corpus-text.ts [--quick] [--mb N] [--modes stream,memory,stream-capped,memory-capped]
//      [--heap-cap-mb 384] [--docs N --doc-words W]   (JSON on stdout)
// --docs N --doc-words W fix the document count and the words per document's text instead of the file size: the
// same vectors with more or less text, which is how "peak RSS does not grow with the text" is shown.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, openSync, rmSync, statSync, writeFileSync, writeSync, closeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mulberry32 } from '../../src/util/mulberry32.js';

const quick = process.argv.includes('--quick');
const mbArg = process.argv.indexOf('--mb');
const targetBytes = (mbArg > 0 ? Number(process.argv[mbArg + 1]) : quick ? 100 : 1100) * 1024 * 1024;
const nQueries = 100;
const arg = (name: string) => (process.argv.indexOf(name) > 0 ? process.argv[process.argv.indexOf(name) + 1] : undefined);
const fixedDocs = arg('--docs') === undefined ? undefined : Number(arg('--docs'));
const docWords = Number(arg('--doc-words') ?? 150);
// stream | memory: default V8 heap limit; *-capped: --max-old-space-size=heapCapMb (does the run fit at all?).
const modes = (arg('--modes') ?? 'stream,memory,stream-capped,memory-capped').split(',');
const heapCapMb = Number(arg('--heap-cap-mb') ?? 384);
const dir = mkdtempSync(path.join(os.tmpdir(), 'mteb-corpus-text-'));
const corpusFile = path.join(dir, 'corpus.jsonl');

// ~1 KB documents of words from a 5,000-word vocabulary (title + text), deterministic.
const rnd = mulberry32(7);
const vocab = Array.from({ length: 5000 }, (_, i) => `w${i.toString(36)}${'abcdefghij'[i % 10]}`);
const words = (n: number) => {
  let s = vocab[Math.floor(rnd() * vocab.length)];
  for (let i = 1; i < n; i++) s += ' ' + vocab[Math.floor(rnd() * vocab.length)];
  return s;
};
process.stderr.write(`writing ~${(targetBytes / 2 ** 20).toFixed(0)} MiB of corpus to ${corpusFile} ...\n`);
const fd = openSync(corpusFile, 'w');
let bytes = 0;
let docs = 0;
// Query q is the whole text of document q·step (its one relevant document), so the score is not 0.
const step = fixedDocs !== undefined ? Math.max(1, Math.floor(fixedDocs / nQueries)) : Math.max(1, Math.floor(targetBytes / 1100 / nQueries));
const titles = new Map<number, string>();
while (fixedDocs !== undefined ? docs < fixedDocs : bytes < targetBytes) {
  let block = '';
  for (let i = 0; i < 2000 && (fixedDocs === undefined || docs < fixedDocs); i++, docs++) {
    const title = words(6);
    const text = words(docWords);
    if (docs % step === 0 && docs / step < nQueries) titles.set(docs, `${title} ${text}`);
    block += JSON.stringify({ _id: `doc${docs}`, title, text }) + '\n';
  }
  const b = Buffer.from(block);
  writeSync(fd, b);
  bytes += b.length;
}
closeSync(fd);
const queries: string[] = [];
const qrels: string[] = ['query-id\tcorpus-id\tscore'];
for (const [d, title] of titles) {
  queries.push(JSON.stringify({ _id: `q${d}`, text: title }));
  qrels.push(`q${d}\tdoc${d}\t1`);
}
writeFileSync(path.join(dir, 'queries.jsonl'), queries.join('\n') + '\n');
mkdirSync(path.join(dir, 'qrels'));
writeFileSync(path.join(dir, 'qrels', 'test.tsv'), qrels.join('\n') + '\n');
writeFileSync(
  path.join(dir, 'task.json'),
  JSON.stringify({ name: 'BigCorpusRetrieval', type: 'Retrieval', eval_splits: ['test'], main_score: 'ndcg_at_10', dataset: { path: '.', revision: 'bench' } }),
);
const fileBytes = statSync(corpusFile).size;

const out: Record<string, unknown>[] = [];
try {
  for (const mode of modes) {
    process.stderr.write(`run (${mode}) ...\n`);
    const capped = mode.endsWith('-capped');
    const env = {
      ...process.env,
      MTEB_TS_CORPUS_TEXT_IN_MEMORY_BYTES: mode.startsWith('memory') ? 'Infinity' : '',
      NODE_OPTIONS: capped ? `--max-old-space-size=${heapCapMb}` : (process.env.NODE_OPTIONS ?? ''),
    };
    const t0 = Date.now();
    const timeFile = path.join(dir, `time-${mode}.txt`);
    let completed = true;
    try {
      execFileSync(
        '/usr/bin/time',
        ['-f', '%M', '-o', timeFile, process.execPath, 'bin/mteb-ts-dev.js', 'run', '-m', 'hash:64', '-t', dir, '-o', path.join(dir, `results-${mode}`), '--cache-dir', 'none', '-q'],
        { env, stdio: ['ignore', 'ignore', capped ? 'ignore' : 'inherit'] },
      );
    } catch (e) {
      if (!capped) throw e;
      completed = false; // out of V8 heap under the cap
    }
    const peakKb = Number(/(\d+)\s*$/.exec(execFileSync('cat', [timeFile], { encoding: 'utf8' }))?.[1]);
    const resultDir = path.join(dir, `results-${mode}`);
    const score = completed ? execFileSync('sh', ['-c', `cat "${resultDir}"/*/*/BigCorpusRetrieval.json`], { encoding: 'utf8' }) : '';
    const ndcg = completed ? Number(/"ndcg_at_10": ([0-9.]+)/.exec(score)?.[1]) : null;
    out.push({
      mode,
      ...(capped ? { v8_heap_cap_mb: heapCapMb, completed } : {}),
      corpus_file_bytes: fileBytes,
      documents: docs,
      words_per_text: docWords,
      queries: titles.size,
      peak_rss_bytes: peakKb * 1024,
      rss_over_corpus_file: +((peakKb * 1024) / fileBytes).toFixed(3),
      wall_s: (Date.now() - t0) / 1000,
      ndcg_at_10: ndcg,
    });
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
process.stdout.write(JSON.stringify(out, null, 2) + '\n');
