/**
 * `run --save-predictions`: the ranking each retrieval / reranking (split, hf_subset) was scored on, written next
 * to the result file in two forms (docs/protocol.md, "Saved predictions"):
 *
 * - `<Task>.<split>.trec` (`<Task>.<split>.<hf_subset>.trec` for a subset other than `default`): a TREC run,
 *   `qid Q0 docid rank score tag`, exactly the run the metrics saw (after `ignore_identical_ids`), each query's
 *   documents in trec_eval's own order (score as a C float descending, then doc id descending by bytes), rank
 *   1-based, score in Python's `repr` (the shortest text that parses back to the same double), tag the model
 *   name as a path (`org__name`, whitespace and other non-printing characters as `_`). trec_eval or ranx read it
 *   as it is, with the task's qrels.
 * - `<Task>_predictions.json`: what mteb ≥ 2.0 (read at HEAD a905523d ≈ 2.20, `AbsTask._save_task_predictions`)
 *   writes for a retrieval task: `{"mteb_model_meta": {"model_name", "revision"}, "<hf_subset>": {"<split>":
 *   {qid: {docid: score}}}}`, `json.dump` spacing, non-ASCII escaped, floats in Python's repr. mteb saves the
 *   search's output before it drops a query's own id for `ignore_identical_ids`, and so does this file.
 *
 * Files are written through a temp file + rename, in pieces (a 1000-deep MSMARCO run is hundreds of MB).
 */
import { promises as fs, existsSync } from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { MtebError } from '../core/errors.js';
import { hfSubsets } from '../core/subsets.js';

/** What the predictions writer needs of a task (every TaskSpec is one). */
interface PredictionTask {
  name: string;
  eval_splits: readonly string[];
  hf_subsets?: readonly string[];
}
import { compareCodePoints, trecSim } from '../metrics/retrieval/order.js';
import { modelNameAsPath } from './result-file.js';
import { writeAtomicWith } from '../util/atomic-write.js';

/** The mteb release whose `save_predictions` layout `<Task>_predictions.json` follows (unchanged since 2.0.0). */
export const PREDICTIONS_LAYOUT_MTEB_VERSION = '2.20.0';

/** One (split, hf_subset)'s scored ranking: query id -> doc id -> score (the search's top k, or all candidates). */
export interface Ranking {
  run: Map<string, Map<string, number>>;
  /** `ignore_identical_ids`: a query's own id was left out of the scoring, hence out of the TREC file. */
  dropIdenticalIds?: boolean;
}

/** split -> hf_subset -> ranking, for one task. */
export type TaskRankings = Record<string, Record<string, Ranking>>;

/** A split / subset name as one file-name component: no path separators, no NUL. */
function component(s: string): string {
  return s.replace(/[/\\\0]/g, '_');
}

/** `<dir>/<Task>_predictions.json`, beside `<dir>/<Task>.json` (mteb's `{task_name}_predictions.json`). */
export function predictionsJsonPath(resultFile: string): string {
  return resultFile.replace(/\.json$/, '_predictions.json');
}

/** `<dir>/<Task>.<split>.trec`, or `<dir>/<Task>.<split>.<hf_subset>.trec` for a subset other than `default`. */
export function trecRunPath(resultFile: string, split: string, subset: string): string {
  const stem = resultFile.replace(/\.json$/, '');
  return `${stem}.${component(split)}${subset === 'default' ? '' : `.${component(subset)}`}.trec`;
}

/** Every predictions file a task's run writes (the JSON, then one TREC file per split and subset). */
export function predictionFiles(resultFile: string, spec: PredictionTask): string[] {
  const files = [predictionsJsonPath(resultFile)];
  for (const split of spec.eval_splits) for (const sub of hfSubsets(spec)) files.push(trecRunPath(resultFile, split, sub));
  return files;
}

/** The predictions files of a task that do not exist (all of them when none was written). */
export function missingPredictionFiles(resultFile: string, spec: PredictionTask): string[] {
  return predictionFiles(resultFile, spec).filter((f) => !existsSync(f));
}

/** The TREC run tag: the model name as mteb makes it a path, with nothing trec_eval would split on. */
export function trecTag(model: string): string {
  return modelNameAsPath(model).replace(/[^\x21-\x7e]/g, '_') || 'mteb-ts';
}

/**
 * Python's `repr(float)`: the shortest digits that round-trip (as JS), laid out as CPython does — exponent form
 * below 1e-4 or from 1e16 (`1e-05`, `1.5e+16`), otherwise positional with at least one decimal (`1.0`).
 */
export function pythonFloatRepr(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? 'Infinity' : '-Infinity';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const [mant, expText] = x.toExponential().split('e');
  const exp = Number(expText);
  const neg = mant.startsWith('-');
  const digits = mant.replace('-', '').replace('.', '');
  let out: string;
  if (exp < -4 || exp >= 16) {
    out = `${digits[0]}${digits.length > 1 ? `.${digits.slice(1)}` : ''}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  } else if (exp < 0) {
    out = `0.${'0'.repeat(-exp - 1)}${digits}`;
  } else if (digits.length <= exp + 1) {
    out = `${digits}${'0'.repeat(exp + 1 - digits.length)}.0`;
  } else {
    out = `${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
  }
  return neg ? `-${out}` : out;
}

/** A JSON string literal as Python's json.dumps writes it (ensure_ascii: everything outside ' '..'~' escaped). */
export function pythonJsonString(s: string): string {
  return JSON.stringify(s).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** A query's documents in trec_eval's rank order: score (as a C float) descending, then doc id descending. */
export function trecOrder(docs: Map<string, number>): [string, number][] {
  const rows = [...docs];
  const sims = new Map(rows.map(([d, s]) => [d, trecSim(s)]));
  return rows.sort((a, b) => {
    const sa = sims.get(a[0])!, sb = sims.get(b[0])!;
    return sa !== sb ? sb - sa : compareCodePoints(b[0], a[0]);
  });
}

/** A query or document id a TREC run cannot hold (it splits lines on whitespace). */
function checkTrecId(id: string, what: string, task: string): void {
  if (!/^\S+$/u.test(id))
    throw new MtebError(
      'E_BAD_VALUE',
      `${what} id ${JSON.stringify(id)} is empty or contains whitespace, so no TREC run file can hold it; run without --save-predictions to score the task`,
      { task },
    );
}

/** Fails before anything is written when a ranking cannot be saved (ids a TREC file cannot carry, NaN scores). */
export function checkRankings(task: string, rankings: TaskRankings): void {
  for (const bySubset of Object.values(rankings)) {
    for (const { run } of Object.values(bySubset)) {
      for (const [qid, docs] of run) {
        checkTrecId(qid, 'query', task);
        for (const [d, s] of docs) {
          checkTrecId(d, `document (query ${qid})`, task);
          if (Number.isNaN(s)) throw new MtebError('E_BAD_VALUE', `score of document ${d} for query ${qid} is NaN`, { task });
        }
      }
    }
  }
}

/**
 * Streams pieces into `file` through a temp file in the same folder, then renames (as writeFileAtomic). Returns
 * the `sha256:<hex>` digest of the bytes written (the result file records it, tying the predictions to it).
 */
async function writeAtomicStreamed(file: string, produce: (write: (s: string) => Promise<void>) => Promise<void>): Promise<string> {
  const hash = createHash('sha256');
  await writeAtomicWith(file, async (handle) => {
    let buf: string[] = [];
    let size = 0;
    const flush = async () => {
      if (!buf.length) return;
      const bytes = Buffer.from(buf.join(''), 'utf8');
      buf = [];
      size = 0;
      hash.update(bytes);
      await handle.write(bytes);
    };
    await produce(async (s) => {
      buf.push(s);
      size += s.length;
      if (size >= 1 << 20) await flush();
    });
    await flush();
  });
  return `sha256:${hash.digest('hex')}`;
}

/** The TREC run of one (split, subset): the scored run in trec_eval's order. */
export async function writeTrecRun(file: string, ranking: Ranking, tag: string): Promise<string> {
  return writeAtomicStreamed(file, async (write) => {
    for (const [qid, docs] of ranking.run) {
      let rank = 0;
      for (const [d, s] of trecOrder(docs)) {
        if (ranking.dropIdenticalIds && d === qid) continue;
        await write(`${qid} Q0 ${d} ${++rank} ${pythonFloatRepr(s)} ${tag}\n`);
      }
    }
  });
}

/** mteb 2.x's `<Task>_predictions.json` for the whole task (every subset and split), as `json.dump` writes it. */
export async function writePredictionsJson(file: string, model: { name: string; revision: string }, rankings: TaskRankings): Promise<string> {
  // mteb nests subset -> split; the runner holds split -> subset.
  const bySubset = new Map<string, [string, Ranking][]>();
  for (const [split, subs] of Object.entries(rankings)) for (const [sub, r] of Object.entries(subs)) bySubset.set(sub, [...(bySubset.get(sub) ?? []), [split, r]]);
  const s = pythonJsonString;
  return writeAtomicStreamed(file, async (write) => {
    await write(`{${s('mteb_model_meta')}: {${s('model_name')}: ${s(model.name)}, ${s('revision')}: ${s(model.revision)}}`);
    for (const [sub, splits] of bySubset) {
      await write(`, ${s(sub)}: {`);
      let firstSplit = true;
      for (const [split, r] of splits) {
        await write(`${firstSplit ? '' : ', '}${s(split)}: {`);
        firstSplit = false;
        let firstQ = true;
        for (const [qid, docs] of r.run) {
          const body = trecOrder(docs).map(([d, v]) => `${s(d)}: ${pythonFloatRepr(v)}`).join(', ');
          await write(`${firstQ ? '' : ', '}${s(qid)}: {${body}}`);
          firstQ = false;
        }
        await write('}');
      }
      await write('}');
    }
    await write('}');
  });
}

/**
 * Writes a task's predictions (checked first, so a ranking that cannot be saved leaves no partial set): one TREC
 * run per split and subset, then the JSON. Returns the files written; `digests`, when given, receives each file's
 * base name -> `sha256:<hex>` (recorded in the result's `mteb_ts.sidecars`).
 */
export async function writePredictions(
  resultFile: string,
  spec: PredictionTask,
  model: { name: string; revision: string },
  rankings: TaskRankings,
  digests?: Record<string, string>,
): Promise<string[]> {
  checkRankings(spec.name, rankings);
  const written: string[] = [];
  for (const split of spec.eval_splits) {
    for (const sub of hfSubsets(spec)) {
      const r = rankings[split]?.[sub];
      if (!r) throw new MtebError('E_INTERNAL', `no ranking was kept for ${split}/${sub}, so its predictions cannot be written`, { task: spec.name });
      const f = trecRunPath(resultFile, split, sub);
      const d = await writeTrecRun(f, r, trecTag(model.name));
      if (digests) digests[path.basename(f)] = d;
      written.push(f);
    }
  }
  const json = predictionsJsonPath(resultFile);
  const d = await writePredictionsJson(json, model, rankings);
  if (digests) digests[path.basename(json)] = d;
  written.push(json);
  return written;
}

/** Removes a task's predictions files (they described an earlier scoring); returns the ones that existed. */
export async function removePredictions(resultFile: string, spec: PredictionTask): Promise<string[]> {
  const present = predictionFiles(resultFile, spec).filter((f) => existsSync(f));
  for (const f of present) await fs.rm(f, { force: true });
  return present;
}
