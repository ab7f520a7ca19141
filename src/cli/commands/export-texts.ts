import path from 'node:path';
import { defineCommand } from '../command.js';
import { selectTasks } from '../../run/run-cli.js';
import { exportTaskTexts } from '../../run/export-texts.js';
import { StderrProgress, silentProgress } from '../../util/progress.js';
import { redact } from '../../core/redact.js';
import { exportTextsSpec, type ExportTextsArgs } from '../options/export-texts.js';

/** `mteb-ts export-texts`: the texts of the selected tasks as JSONL files (src/run/export-texts.ts). */
export async function exportTexts(a: ExportTextsArgs): Promise<number> {
  const warn = (m: string) => process.stderr.write(`warning: ${redact(m)}\n`);
  const tasks = selectTasks(a, process.cwd(), warn);
  const outputDir = path.resolve(a.output);
  const progress = a.quiet ? silentProgress : new StderrProgress();
  const done = await exportTaskTexts({
    tasks,
    outputDir,
    dataDir: a.dataDir,
    hfHome: a.hfHome,
    limit: a.limit,
    progress,
    // Above the status line on a terminal.
    log: a.quiet ? undefined : (l) => progress.print?.(redact(l)),
  });
  if (a.format === 'json') {
    const total = done.reduce((s, t) => s + t.texts, 0);
    process.stdout.write(JSON.stringify({ output_dir: outputDir, tasks: done, texts: total }, null, 2) + '\n');
  } else {
    for (const t of done) process.stdout.write(`${t.task}\t${t.texts} texts (${t.queries} query, ${t.passages} passage)\t${t.file}\n`);
  }
  return 0;
}

export const exportTextsCommand = defineCommand(exportTextsSpec, exportTexts);
