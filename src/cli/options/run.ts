import type { CommandSpec } from '../command.js';
import { MtebError } from '../../core/errors.js';
import type { ArgsOf, OptionTable } from '../option-table.js';

/** Options `run` and `merge` share: which tasks, which model, where results and data live. */
export const modelAndTaskOptions = {
  model: { type: 'string', alias: 'm', demandOption: true, describe: 'model spec (nvembed:DIR, openai:URL#model, precomputed:FILE, hash:DIM, random:DIM)' },
  tasks: { type: 'string', alias: 't', array: true, describe: 'registry task names or task-file paths (comma-separated or repeated)' },
  benchmark: { type: 'string', alias: 'b', describe: 'run every task of a benchmark, e.g. "MTEB(eng, v1)"' },
  type: { type: 'string', describe: 'only tasks of this type (any case); a selection left empty is an error (exit 2)' },
  'eval-splits': {
    type: 'string',
    array: true,
    describe: "only these splits of each task (mteb's --eval-splits; comma-separated or repeated); one no selected task has is exit 2",
  },
  subsets: {
    type: 'string',
    array: true,
    describe: "only these hf_subsets (mteb's hf_subsets filter, e.g. en,de-en for STS22); one no selected task has is exit 2",
  },
  languages: {
    type: 'string',
    array: true,
    describe: "only the subsets in these languages (mteb's --languages: ISO 639-3 eng, or eng-Latn); one no selected task has is exit 2",
  },
  output: { type: 'string', alias: 'o', default: 'results', describe: 'results folder (<org>__<model>/<revision>/<Task>.json)' },
  format: {
    type: 'string',
    alias: 'f',
    choices: ['table', 'json'],
    default: 'table',
    describe: 'the end-of-run summary on stdout: a table, or one JSON object (model, revision, folder, each task\'s status, main score, seconds, error)',
  },
  'data-dir': { type: 'string', describe: 'folder holding <org>/<name>/ dataset repos as downloaded' },
  'hf-home': { type: 'string', describe: 'Hugging Face home (default $HF_HOME or ~/.cache/huggingface)' },
  'model-name': { type: 'string', describe: "name to write in results instead of the model's own" },
  'model-revision': { type: 'string', describe: "revision to write in results instead of the model's own" },
  'batch-size': { type: 'number', integer: true, min: 1, default: 32, describe: 'texts per embedding call' },
  device: { type: 'string', describe: 'cpu | cuda[:N] | webgpu | tensorrt (in-process models)' },
  'api-key-env': { type: 'string', describe: 'environment variable holding the API key for openai: models (default OPENAI_API_KEY)' },
  'max-length': { type: 'number', integer: true, min: 1, describe: 'token limit for in-process models' },
  'cache-dir': { type: 'string', describe: 'embedding cache folder (default .mteb-ts-cache); "none" disables it' },
  search: { type: 'string', choices: ['exact', 'hnsw'], default: 'exact', describe: 'retrieval search backend' },
  // The engine names of src/search/score-engine.ts (ENGINE_NAMES; a test keeps the two equal): importing that
  // module here would load onnxruntime for `--help`.
  'search-engine': {
    type: 'string',
    choices: ['auto', 'blas', 'onnx', 'js'],
    default: 'auto',
    describe: 'exact search: system BLAS via FFI (auto: when one loads) or onnxruntime',
  },
  'blas-lib': { type: 'string', describe: 'CBLAS library for --search-engine blas (default $MTEB_TS_BLAS, then OpenBLAS/BLIS/MKL/Accelerate)' },
  'hnsw-m': { type: 'number', integer: true, min: 1, describe: 'HNSW M (graph degree)' },
  'hnsw-ef-construction': { type: 'number', integer: true, min: 1, describe: 'HNSW efConstruction' },
  'hnsw-ef-search': { type: 'number', integer: true, min: 1, describe: 'HNSW efSearch' },
  sklearn: {
    type: 'string',
    choices: ['modern', '1.2'],
    default: 'modern',
    describe: 'scikit-learn behaviour of the logistic-regression and k-means ports (docs/protocol.md)',
  },
  'save-predictions': {
    type: 'boolean',
    default: false,
    describe:
      "retrieval/reranking: also write the scored ranking beside each result, as TREC runs <Task>.<split>[.<subset>].trec and mteb's <Task>_predictions.json (docs/protocol.md)",
  },
  quiet: { type: 'boolean', alias: 'q', default: false, describe: 'no progress on stderr' },
} as const satisfies OptionTable;

export const runOptions = {
  ...modelAndTaskOptions,
  overwrite: { type: 'boolean', default: false, describe: 'same as --overwrite-strategy always (as in mteb, where it is deprecated)' },
  'overwrite-strategy': {
    type: 'string',
    choices: ['always', 'never', 'only-missing', 'only-cache'],
    default: 'only-missing',
    describe:
      "mteb 2.x's: always recompute; never (reuse a complete result, fail on one missing splits); only-missing (compute just the splits/subsets a result lacks); only-cache (never evaluate: fail without a complete result)",
  },
  limit: { type: 'number', integer: true, min: 1, describe: 'dry run on the first N items of each split (marked in the result file)' },
  shard: {
    type: 'string',
    describe:
      'i/n (0 <= i < n), or auto (the index from SLURM_ARRAY_TASK_ID, JOB_COMPLETION_INDEX, AWS_BATCH_JOB_ARRAY_INDEX or BATCH_TASK_INDEX): do only this part of the work into the shared cache; then `merge` (docs/scaling.md)',
  },
  shards: { type: 'number', integer: true, min: 1, describe: 'with --shard auto: the shard count (else $MTEB_TS_SHARDS, or the array size Slurm / Google Batch report)' },
  'shard-chunk-rows': {
    type: 'number',
    integer: true,
    min: 1,
    describe: 'retrieval corpora larger than this are split across shards by chunks of this many documents (default 500000)',
  },
} as const satisfies OptionTable;

export const mergeOptions = {
  ...modelAndTaskOptions,
  shards: { type: 'number', integer: true, min: 1, demandOption: true, describe: 'n, the shard count the parts were run with' },
} as const satisfies OptionTable;

export const demoOptions = {
  model: { type: 'string', alias: 'm', describe: 'model spec (default: the bundled tiny NV-Embed checkpoint)' },
  output: { type: 'string', alias: 'o', default: 'demo-results', describe: 'results folder' },
  quiet: { type: 'boolean', alias: 'q', default: false, describe: 'no progress on stderr' },
} as const satisfies OptionTable;

export type ModelAndTaskArgs = ArgsOf<typeof modelAndTaskOptions>;
export type RunArgs = ArgsOf<typeof runOptions>;
export type MergeArgs = ArgsOf<typeof mergeOptions>;
export type DemoArgs = ArgsOf<typeof demoOptions>;

/** Refused before any model loads: results written outside the output folder. */
function checkModelAndTask(a: ModelAndTaskArgs): void {
  for (const [name, v] of [['model-name', a.modelName], ['model-revision', a.modelRevision]] as const) {
    if (v !== undefined && (v.includes('..') || v.startsWith('/') || (name === 'model-revision' && v.includes('/'))))
      throw new MtebError('E_USAGE', `--${name} "${v}" would place results outside the output folder`, { field: name });
  }
}

export const runSpec: CommandSpec<typeof runOptions> = {
  command: 'run',
  describe: 'Evaluate a model on tasks or a benchmark and write mteb-format result files',
  options: runOptions,
  check(a) {
    checkModelAndTask(a);
    if (a.overwrite && a.overwriteStrategy !== 'only-missing' && a.overwriteStrategy !== 'always')
      throw new MtebError('E_USAGE', `--overwrite means --overwrite-strategy always; it contradicts --overwrite-strategy ${a.overwriteStrategy}`, { field: 'overwrite' });
    if (a.shard && a.cacheDir === 'none')
      throw new MtebError('E_USAGE', '--shard needs a shared embedding cache (--cache-dir on storage every shard and merge can reach); "none" would throw the shards\' work away');
  },
};

export const mergeSpec: CommandSpec<typeof mergeOptions> = {
  command: 'merge',
  describe: "Complete a sharded run: check every shard's part exists, score split corpora from the shared cache, write aggregates",
  options: mergeOptions,
  check: checkModelAndTask,
};

export const demoSpec: CommandSpec<typeof demoOptions> = {
  command: 'demo',
  describe: 'Run the bundled demo: every task type on fixture tasks with the bundled tiny model, then print the leaderboard',
  options: demoOptions,
};
