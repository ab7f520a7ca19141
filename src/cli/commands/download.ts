import { defineCommand } from '../command.js';
import { downloadTaskDataset } from '../../task-types/download.js';
import { benchmarkTaskSpecs, expandAggregates, getBenchmark, resolveTasks } from '../../registry/index.js';
import { MtebError } from '../../core/errors.js';
import type { TaskSpec } from '../../task-types/spec.js';
import { downloadSpec, type DownloadArgs } from '../options/download.js';

/** `mteb-ts download`: each selected task's dataset repo at its pinned revision, once per repo. */
export async function download(args: DownloadArgs): Promise<number> {
  let specs: TaskSpec[] = [];
  if (args.benchmark) specs.push(...benchmarkTaskSpecs(getBenchmark(args.benchmark)));
  if (args.tasks?.length) specs.push(...resolveTasks(args.tasks, { cwd: process.cwd() }));
  if (!specs.length) throw new MtebError('E_USAGE', 'name --tasks or --benchmark', { field: 'tasks' });
  specs = expandAggregates(specs);
  const seen = new Set<string>();
  let total = 0;
  const rows: Record<string, unknown>[] = [];
  for (const spec of specs) {
    const key = `${spec.dataset.path}@${spec.dataset.revision ?? 'main'}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (spec.source_dir && !/^[\w.-]+\/[\w.-]+$/.test(spec.dataset.path)) {
      process.stderr.write(`${spec.name}: local dataset ${spec.dataset.path}, nothing to download\n`);
      rows.push({ task: spec.name, local: spec.dataset.path });
      continue;
    }
    const r = await downloadTaskDataset(spec, { dataDir: args.dataDir, endpoint: args.endpoint, allFiles: args.allFiles });
    total += r.bytes;
    const got = r.files.filter((f) => !f.skipped).length;
    rows.push({ task: spec.name, repo: r.repo, revision: r.revision, dir: r.dir, files: r.files.length, fetched: got, present: r.files.length - got, bytes: r.bytes });
    if (args.format !== 'json')
      process.stdout.write(`${spec.name}\t${r.repo}@${r.revision}\t${r.files.length} files (${got} fetched, ${r.files.length - got} present)\t${r.dir}\n`);
  }
  if (args.format === 'json') process.stdout.write(JSON.stringify({ datasets: rows, bytes: total }, null, 2) + '\n');
  process.stderr.write(`downloaded ${(total / 1e6).toFixed(1)} MB\n`);
  return 0;
}

export const downloadCommand = defineCommand(downloadSpec, download);
