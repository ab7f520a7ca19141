/**
 * `mteb-ts create-meta`: the Hugging Face model-card front matter (`tags: [mteb]` and a `model-index` with one
 * entry per task, split and hf_subset) exactly as Python mteb 1.39.7 writes it with `mteb create_meta
 * --results_folder DIR` (mteb/create_meta.py, `generate_readme`). mteb 2.x replaced that command by
 * `create-model-results` (mteb/cli/build_cli.py -> ModelMeta.push_model_card_to_hub), which writes a model card
 * with `tags: [mteb]` and an optional results table but no model-index any more: the model-index YAML that
 * leaderboards read is 1.39.7's, so that is the rule followed here:
 *
 *   - the results folder is one revision folder; its `*.json` files except `model_meta.json` and names
 *     containing `predictions` are results (mteb-ts' own `<Task>.items.json` sidecars are skipped as well);
 *   - results sorted by task name; when all 12 CQADupstack forum tasks are present a combined
 *     `CQADupstackRetrieval` result is added (main score = mean of their test main scores);
 *   - per split and hf_subset: `task.type`, `dataset.{type: the dataset path, name: "MTEB <Task> (<subset>)",
 *     config, split, revision}`, and `metrics`: every int/float value of the score entry times 100, in file
 *     order (`main_score` included), Python arithmetic (an int stays an int);
 *   - the model name from `model_meta.json`'s `name`, else `PLACEHOLDER`;
 *   - `---\n` + yaml.dump(...) + `---\n` (src/meta/pyyaml-dump.ts).
 *
 * `--from-existing README.md` is mteb's merge_yamls: the README's front matter gets `mteb` in its tags and the
 * model-index merged in (a result with the same dataset name and config gets the new metrics, others are added
 * after the existing ones; a different model name is an error), re-dumped with yaml.dump, then the README's
 * text after the front matter. The front matter is read by src/meta/yaml-subset.ts, which refuses the YAML it
 * does not take instead of guessing.
 *
 * Not reproduced: mteb's conversions of files written before mteb 1.12.48 (refused here with the file named).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { MtebError } from '../core/errors.js';
import { getTask, hasTask } from '../registry/index.js';
import { bundledTask } from '../registry/benchmarks.js';
import { PyDate, PyInt, parseJsonKeepingInts, type PyValue } from './python-values.js';
import { loadYamlSubset } from './yaml-subset.js';
import { pyyamlDump } from './pyyaml-dump.js';

type Dict = { [key: string]: PyValue };

interface LoadedResult {
  taskName: string;
  datasetRevision: PyValue;
  scores: Record<string, Dict[]>;
  file: string;
}

/** mteb 1.39.7's CQADupstack forum tasks (create_meta.py, potentially_add_cqadupstack_to_results). */
const CQA_PARTS = [
  'CQADupstackAndroidRetrieval', 'CQADupstackEnglishRetrieval', 'CQADupstackGamingRetrieval', 'CQADupstackGisRetrieval',
  'CQADupstackMathematicaRetrieval', 'CQADupstackPhysicsRetrieval', 'CQADupstackProgrammersRetrieval', 'CQADupstackStatsRetrieval',
  'CQADupstackTexRetrieval', 'CQADupstackUnixRetrieval', 'CQADupstackWebmastersRetrieval', 'CQADupstackWordpressRetrieval',
];

/** mteb's AggregateTaskMetadata placeholder path (mteb/abstasks/aggregate_task_metadata.py, 1.39.7). */
const AGGREGATE_PATH = 'aggregate tasks do not have a path';

export interface ModelIndex {
  /** The model-card text: front matter only (or front matter + nothing), as mteb writes it. */
  text: string;
  modelName: string;
  /** Result files read, in the order they appear. */
  files: string[];
  entries: number;
}

const isDict = (v: PyValue): v is Dict => v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof PyInt) && !(v instanceof PyDate);

/** mteb's version check: files before 1.12.48 are converted on load by mteb, which is not reproduced here. */
function olderThan(version: string, min: number[]): boolean {
  const parts = version.split(/[.+-]/).slice(0, 3).map((p) => Number.parseInt(p, 10));
  for (let i = 0; i < 3; i++) {
    const a = Number.isFinite(parts[i]) ? parts[i] : 0;
    if (a !== min[i]) return a < min[i];
  }
  return false;
}

function loadResult(file: string): LoadedResult {
  let data: PyValue;
  try {
    data = parseJsonKeepingInts(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new MtebError('E_PARSE', `not a result file: ${(e as Error).message}`, { file });
  }
  if (!isDict(data) || typeof data.task_name !== 'string' || !isDict(data.scores))
    throw new MtebError('E_RESULTS', 'not an mteb result file (needs task_name and scores)', { file });
  const version = data.mteb_version;
  if (typeof version !== 'string' || olderThan(version, [1, 12, 48]))
    throw new MtebError('E_RESULTS', `written by mteb ${typeof version === 'string' ? version : '(no mteb_version)'}, before 1.12.48: mteb converts such files when it loads them, which create-meta does not; rerun the task or remove the file`, { file });
  const scores: Record<string, Dict[]> = {};
  for (const [split, entries] of Object.entries(data.scores)) {
    if (!Array.isArray(entries) || !entries.every(isDict)) throw new MtebError('E_RESULTS', `scores.${split} is not a list of score entries`, { file });
    scores[split] = entries as Dict[];
  }
  return { taskName: data.task_name, datasetRevision: data.dataset_revision ?? null, scores, file };
}

/** The `*.json` result files of one revision folder, as mteb's get_task_results picks them. */
export function resultFiles(folder: string): string[] {
  if (!existsSync(folder) || !statSync(folder).isDirectory()) throw new MtebError('E_FILE_MISSING', 'results folder not found', { file: folder });
  const names = readdirSync(folder).sort();
  const files = names.filter((n) => n.endsWith('.json') && n !== 'model_meta.json' && !n.includes('predictions') && !n.endsWith('.items.json'));
  if (!files.length) {
    const sub = names.filter((n) => statSync(path.join(folder, n)).isDirectory());
    const hint = sub.length ? `; it holds folders (${sub.slice(0, 5).join(', ')}): name one revision folder, <results>/<org>__<model>/<revision>` : '';
    throw new MtebError('E_RESULTS', `no result files (*.json) in the results folder${hint}`, { file: folder });
  }
  return files.map((n) => path.join(folder, n));
}

function combinedCqa(results: LoadedResult[]): LoadedResult | null {
  const byName = new Map(results.map((r) => [r.taskName, r]));
  if (!CQA_PARTS.every((n) => byName.has(n))) return null;
  // get_score(splits=["test"]): the mean main_score over the test split's subsets; then the mean over the 12.
  const mains = CQA_PARTS.map((n) => {
    const entries = byName.get(n)!.scores.test ?? [];
    const vals = entries.map((e) => numberOf(e.main_score));
    return vals.reduce((a, b) => a + b, 0) / vals.length;
  });
  const main = mains.reduce((a, b) => a + b, 0) / mains.length;
  return {
    taskName: 'CQADupstackRetrieval',
    datasetRevision: 'CQADupstackRetrieval_is_a_combined_dataset',
    scores: { test: [{ main_score: main, ndcg_at_10: main, hf_subset: 'default', languages: ['eng_Latn'] }] },
    file: '(combined from the 12 CQADupstack forum tasks)',
  };
}

const numberOf = (v: PyValue): number => (v instanceof PyInt ? v.value : typeof v === 'number' ? v : typeof v === 'boolean' ? Number(v) : NaN);

/** `{"type": k, "value": v * 100}` for every int/float (bool is an int in Python) of a score entry. */
function metricsOf(entry: Dict): Dict[] {
  const out: Dict[] = [];
  for (const [k, v] of Object.entries(entry)) {
    if (v instanceof PyInt) out.push({ type: k, value: new PyInt(v.value * 100) });
    else if (typeof v === 'boolean') out.push({ type: k, value: new PyInt(v ? 100 : 0) });
    else if (typeof v === 'number') out.push({ type: k, value: v * 100 });
  }
  return out;
}

function taskEntries(r: LoadedResult): Dict[] {
  // A registry task (mteb's metadata), or a task a benchmark bundles as a file (the demo tasks).
  const task = hasTask(r.taskName) ? getTask(r.taskName) : bundledTask(r.taskName);
  if (!task) throw new MtebError('E_UNKNOWN_TASK', `task "${r.taskName}" is not in the registry (its type and dataset path come from there)`, { file: r.file });
  const datasetPath = task.aggregate_of?.length ? AGGREGATE_PATH : task.dataset.path;
  const out: Dict[] = [];
  for (const [split, entries] of Object.entries(r.scores)) {
    for (const entry of entries) {
      const metrics = metricsOf(entry);
      if (!(task.main_score in entry))
        throw new MtebError('E_RESULTS', `main score ${task.main_score} not found in the ${split} scores`, { file: r.file, task: r.taskName });
      const subset = entry.hf_subset as PyValue;
      out.push({
        task: { type: task.type },
        dataset: {
          type: datasetPath,
          name: `MTEB ${r.taskName} (${pyStr(subset)})`,
          config: subset,
          split,
          revision: r.datasetRevision,
        },
        metrics,
      });
    }
  }
  return out;
}

/** Python's str() of a value in an f-string (subset names are strings). */
const pyStr = (v: PyValue): string => (typeof v === 'string' ? v : v instanceof PyInt ? String(v.value) : v === null ? 'None' : String(v));

function modelNameOf(folder: string): string {
  const meta = path.join(folder, 'model_meta.json');
  if (!existsSync(meta)) return 'PLACEHOLDER';
  const data = parseJsonKeepingInts(readFileSync(meta, 'utf8'));
  if (!isDict(data) || typeof data.name !== 'string') throw new MtebError('E_RESULTS', 'model_meta.json has no "name"', { file: meta });
  return data.name;
}

/** extract_yaml_and_content: the front matter between a leading `---` and the first `\n---\n`, and the rest. */
function splitFrontMatter(text: string): { yaml: string | null; rest: string; firstLine: number } {
  const end = text.indexOf('\n---\n', 3);
  if (text.startsWith('---') && end >= 0) return { yaml: text.slice(3, end), rest: text.slice(end + 5), firstLine: 1 };
  return { yaml: null, rest: text, firstLine: 1 };
}

/** merge_yamls / update_yaml_dict of mteb 1.39.7's create_meta.py. */
function mergeIntoExisting(doc: Dict, readme: string): { doc: Dict; rest: string } {
  if (!readme.toLowerCase().endsWith('.md')) throw new MtebError('E_USAGE', 'the existing README must be a markdown file ending in .md', { file: readme, field: 'from-existing' });
  if (!existsSync(readme)) throw new MtebError('E_FILE_MISSING', 'the existing README was not found', { file: readme, field: 'from-existing' });
  const { yaml, rest } = splitFrontMatter(readFileSync(readme, 'utf8'));
  const loaded = yaml === null ? {} : loadYamlSubset(yaml, readme);
  if (!isDict(loaded)) throw new MtebError('E_PARSE', 'the front matter is not a mapping', { file: readme });
  const existing = loaded;
  if (!('tags' in existing)) existing.tags = [];
  const tags = existing.tags;
  if (!Array.isArray(tags)) throw new MtebError('E_PARSE', 'the front matter\'s tags is not a list', { file: readme, field: 'tags' });
  if (!tags.includes('mteb')) tags.push('mteb');
  if (!('model-index' in existing)) {
    existing['model-index'] = doc['model-index'];
    return { doc: existing, rest };
  }
  const index = existing['model-index'];
  const oldModel = Array.isArray(index) ? index[0] : undefined;
  const newModel = (doc['model-index'] as Dict[])[0];
  if (!oldModel || !isDict(oldModel) || !Array.isArray(oldModel.results))
    throw new MtebError('E_PARSE', 'the front matter\'s model-index is not a list of {name, results}', { file: readme, field: 'model-index' });
  if (oldModel.name !== newModel.name)
    throw new MtebError('E_RESULTS', `model names do not match: the README has "${String(oldModel.name)}", the results "${String(newModel.name)}"`, { file: readme, field: 'model-index' });
  const keyOf = (r: PyValue): string => {
    const d = isDict(r) && isDict(r.dataset) ? r.dataset : {};
    return JSON.stringify([pyKey(d.name), pyKey(d.config)]);
  };
  const byKey = new Map<string, Dict>();
  for (const r of oldModel.results) if (isDict(r)) byKey.set(keyOf(r), r);
  for (const r of newModel.results as Dict[]) {
    const hit = byKey.get(keyOf(r));
    if (hit) hit.metrics = r.metrics;
    else byKey.set(keyOf(r), r);
  }
  oldModel.results = [...byKey.values()];
  return { doc: existing, rest };
}

/** A dict key as Python compares it (None for a missing config). */
const pyKey = (v: PyValue | undefined): unknown => (v === undefined ? null : v instanceof PyInt ? `int:${v.value}` : v);

/** The model-index front matter for one revision folder of results (merged into `fromExisting`'s when given). */
export function buildModelIndex(folder: string, opts: { fromExisting?: string } = {}): ModelIndex {
  const files = resultFiles(folder);
  const loaded = files.map(loadResult);
  const cqa = combinedCqa(loaded);
  if (cqa) loaded.push(cqa);
  // sorted(..., key=task_name): a stable sort, ties keep file order.
  loaded.sort((a, b) => (a.taskName < b.taskName ? -1 : a.taskName > b.taskName ? 1 : 0));
  const results = loaded.flatMap(taskEntries);
  const modelName = modelNameOf(folder);
  const doc: Dict = { tags: ['mteb'], 'model-index': [{ name: modelName, results }] };
  if (opts.fromExisting) {
    const merged = mergeIntoExisting(doc, opts.fromExisting);
    return { text: `---\n${pyyamlDump(merged.doc)}---\n${merged.rest}`, modelName, files, entries: results.length };
  }
  return { text: `---\n${pyyamlDump(doc)}---\n`, modelName, files, entries: results.length };
}
