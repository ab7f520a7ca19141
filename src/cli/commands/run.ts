import path from 'node:path';
import type { Argv } from 'yargs';
import type { CliCommand } from '../command.js';
import { runFromCli, mergeFromCli, type RunCliArgs } from '../../run/run-cli.js';

/** Options `run` and `merge` share: which tasks, which model, where results and data live. */
const modelAndTaskOptions = (y: Argv) =>
    y
      .option('model', { alias: 'm', type: 'string', demandOption: true, describe: 'model spec (nvembed:DIR, openai:URL#model, precomputed:FILE, hash:DIM, random:DIM)' })
      .option('tasks', { alias: 't', type: 'string', array: true, describe: 'registry task names or task-file paths (comma-separated or repeated)' })
      .option('benchmark', { alias: 'b', type: 'string', describe: 'run every task of a benchmark, e.g. "MTEB(eng, v1)"' })
      .option('type', { type: 'string', describe: 'only tasks of this type (any case); a selection left empty is an error (exit 2)' })
      .option('output', { alias: 'o', type: 'string', default: 'results', describe: 'results folder (<org>__<model>/<revision>/<Task>.json)' })
      .option('data-dir', { type: 'string', describe: 'folder holding <org>/<name>/ dataset repos as downloaded' })
      .option('hf-home', { type: 'string', describe: 'Hugging Face home (default $HF_HOME or ~/.cache/huggingface)' })
      .option('model-name', { type: 'string', describe: 'name to write in results instead of the model\'s own' })
      .option('model-revision', { type: 'string', describe: 'revision to write in results instead of the model\'s own' })
      .option('batch-size', { type: 'number', default: 32, describe: 'texts per embedding call' })
      .option('device', { type: 'string', describe: 'cpu | cuda[:N] | webgpu | tensorrt (in-process models)' })
      .option('api-key-env', { type: 'string', describe: 'environment variable holding the API key for openai: models (default OPENAI_API_KEY)' })
      .option('max-length', { type: 'number', describe: 'token limit for in-process models' })
      .option('cache-dir', { type: 'string', describe: 'embedding cache folder (default .mteb-ts-cache); "none" disables it' })
      .option('search', { type: 'string', choices: ['exact', 'hnsw'], default: 'exact', describe: 'retrieval search backend' })
      .option('search-engine', { type: 'string', choices: ['auto', 'blas', 'onnx', 'js'], default: 'auto', describe: 'exact search: system BLAS via FFI (auto: when one loads) or onnxruntime' })
      .option('blas-lib', { type: 'string', describe: 'CBLAS library for --search-engine blas (default $MTEB_TS_BLAS, then OpenBLAS/BLIS/MKL/Accelerate)' })
      .option('hnsw-m', { type: 'number', describe: 'HNSW M (graph degree)' })
      .option('hnsw-ef-construction', { type: 'number', describe: 'HNSW efConstruction' })
      .option('hnsw-ef-search', { type: 'number', describe: 'HNSW efSearch' })
      .option('sklearn', { type: 'string', choices: ['modern', '1.2'], default: 'modern', describe: 'scikit-learn behaviour of the logistic-regression and k-means ports (docs/protocol.md)' })
      .option('save-predictions', {
        type: 'boolean',
        default: false,
        describe: 'retrieval/reranking: also write the scored ranking beside each result, as TREC runs <Task>.<split>[.<subset>].trec and mteb\'s <Task>_predictions.json (docs/protocol.md)',
      })
      .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'no progress on stderr' });

export const runCommand: CliCommand = {
  command: 'run',
  describe: 'Evaluate a model on tasks or a benchmark and write mteb-format result files',
  builder: (y) =>
    modelAndTaskOptions(y)
      .option('overwrite', { type: 'boolean', default: false, describe: 'recompute tasks whose result file exists' })
      .option('limit', { type: 'number', describe: 'dry run on the first N items of each split (marked in the result file)' })
      .option('shard', { type: 'string', describe: 'i/n (0 <= i < n): do only this part of the work into the shared cache; then `merge` (docs/scaling.md)' })
      .option('shard-chunk-rows', { type: 'number', describe: 'retrieval corpora larger than this are split across shards by chunks of this many documents (default 500000)' }),
  handler: async (a) => runFromCli(a as unknown as RunCliArgs),
};

export const demoCommand: CliCommand = {
  command: 'demo',
  describe: 'Run the bundled demo: every task type on fixture tasks with the bundled tiny model, then print the leaderboard',
  builder: (y) =>
    y
      .option('model', { alias: 'm', type: 'string', describe: 'model spec (default: the bundled tiny NV-Embed checkpoint)' })
      .option('output', { alias: 'o', type: 'string', default: path.join('demo-results'), describe: 'results folder' })
      .option('quiet', { alias: 'q', type: 'boolean', default: false }),
  handler: async (a) => {
    const { runDemo } = await import('../../run/demo.js');
    return runDemo({ model: a.model as string | undefined, output: a.output as string, quiet: a.quiet as boolean });
  },
};

export const mergeCommand: CliCommand = {
  command: 'merge',
  describe: 'Complete a sharded run: check every shard\'s part exists, score split corpora from the shared cache, write aggregates',
  builder: (y) => modelAndTaskOptions(y).option('shards', { type: 'number', demandOption: true, describe: 'n, the shard count the parts were run with' }),
  handler: async (a) => mergeFromCli(a as unknown as RunCliArgs & { shards: number }),
};
