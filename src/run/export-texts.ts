/**
 * `mteb-ts export-texts`: every text a task has a model embed, with the role and the instruction the embedder
 * receives with it, as JSONL `{"text","role","instruction"?}` (the `embed` command's format less the vector), so
 * a model run elsewhere can embed exactly these and come back with `precomputed:FILE` (which looks vectors up by
 * text, role and instruction).
 *
 * The texts are recorded, not re-derived: each task runs through its own adapter, exactly as `run` does, with an
 * embedder that records what it is asked for and answers with 1-dimensional stand-in vectors. So the selection
 * every type makes (a classification's sampled training rows, clustering's subsets, a retrieval corpus's
 * `title text` join, --limit, --eval-splits/--subsets) is the one `run` would make. Its cost is the task's
 * scoring on those vectors (cheap: one dimension; a retrieval task still compares every query with every
 * document once) and no result is written.
 */
import path from 'node:path';
import type { Embedder, EmbedOptions } from '../core/embedder.js';
import { makeMatrix } from '../core/matrix.js';
import { hfSubsets, type TaskSpec } from '../task-types/spec.js';
import { adapterFor } from '../task-types/index.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import { safeJoin } from '../util/safe-path.js';
import { silentProgress, type ProgressSink } from '../util/progress.js';
import { embedTexts, instructionFor } from './embed-texts.js';
import { openDataset, type DatasetOptions } from './open-dataset.js';

export interface ExportTextsOptions extends DatasetOptions {
  tasks: TaskSpec[];
  /** Folder the `<Task>.jsonl` files are written to (nothing is written elsewhere). */
  outputDir: string;
  limit?: number;
  progress?: ProgressSink;
  log?: (line: string) => void;
}

export interface ExportedTask {
  task: string;
  file: string;
  /** Distinct (text, role, instruction) lines written. */
  texts: number;
  queries: number;
  passages: number;
}

/** An embedder that keeps every distinct (role, instruction, text) in first-seen order. */
class RecordingEmbedder implements Embedder {
  readonly name = 'mteb-ts/export-texts';
  readonly revision = 'no_revision_available';
  readonly dimension = 1;
  readonly lines: string[] = [];
  counts = { query: 0, passage: 0 };
  private readonly seen = new Set<string>();

  async embed(texts: string[], o: EmbedOptions) {
    const instruction = o.instruction ?? '';
    for (const text of texts) {
      const key = `${o.role}\u0001${instruction}\u0001${text}`;
      if (this.seen.has(key)) continue;
      this.seen.add(key);
      this.counts[o.role]++;
      this.lines.push(JSON.stringify({ text, role: o.role, ...(instruction ? { instruction } : {}) }));
    }
    // Distinct finite values (a constant would make some metrics warn about NaN correlations).
    const m = makeMatrix(texts.length, 1);
    texts.forEach((t, i) => (m.data[i] = 1 + (t.length % 97) / 97));
    return m;
  }
}

/** Writes `<outputDir>/<Task>.jsonl` for each task (aggregates are their parts) and says what each holds. */
export async function exportTaskTexts(opts: ExportTextsOptions): Promise<ExportedTask[]> {
  const progress = opts.progress ?? silentProgress;
  const log = opts.log ?? (() => {});
  const out: ExportedTask[] = [];
  const tasks = opts.tasks.filter((t) => !t.aggregate_of?.length);
  try {
    await exportEach(tasks, opts, progress, log, out);
  } finally {
    // An error line must not land on the end of the status line.
    progress.close?.();
  }
  return out;
}

async function exportEach(tasks: TaskSpec[], opts: ExportTextsOptions, progress: ProgressSink, log: (l: string) => void, out: ExportedTask[]): Promise<void> {
  for (const [i, spec] of tasks.entries()) {
    progress.task?.(i + 1, tasks.length, spec.name);
    const rec = new RecordingEmbedder();
    const { source, warnings } = await openDataset(spec, opts);
    warnings.forEach((w) => log(`${spec.name}: ${w}`));
    for (const split of spec.eval_splits) {
      for (const subset of hfSubsets(spec)) {
        progress.phase?.(`${split}/${subset}: loading and recording`);
        await adapterFor(spec.type).evaluate({
          spec,
          split,
          subset,
          source,
          embedder: rec,
          embed: (texts, role, label, piece) =>
            embedTexts(rec, texts, { role, instruction: instructionFor(spec, role), batchSize: 4096, progress: piece ?? progress, label: `${spec.name} ${split}/${subset} ${label ?? role}` }),
          limit: opts.limit,
          progress,
          // Scores on stand-in vectors mean nothing; their warnings neither.
          warn: () => {},
          // The JavaScript engine: no native library is loaded for a search whose result is thrown away.
          search: { backend: 'exact', engine: 'js' },
          sklearn: 'modern',
        });
      }
    }
    const file = safeJoin(opts.outputDir, ['task name', `${spec.name}.jsonl`]);
    await writeFileAtomic(file, rec.lines.join('\n') + (rec.lines.length ? '\n' : ''));
    out.push({ task: spec.name, file, texts: rec.lines.length, queries: rec.counts.query, passages: rec.counts.passage });
    log(`${spec.name}: ${rec.lines.length} texts (${rec.counts.query} query, ${rec.counts.passage} passage) -> ${path.relative(process.cwd(), file) || file}`);
  }
}
