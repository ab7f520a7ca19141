import { existsSync } from 'node:fs';
import path from 'node:path';
import { defineCommand } from '../command.js';
import { MtebError } from '../../core/errors.js';
import { buildModelIndex } from '../../meta/model-index.js';
import { writeFileAtomic } from '../../util/atomic-write.js';
import { createMetaSpec, type CreateMetaArgs } from '../options/create-meta.js';

/** `mteb-ts create-meta`: the model card front matter (src/meta/model-index.ts) to a file or stdout. */
export async function createMeta(a: CreateMetaArgs): Promise<number> {
  const toStdout = a.outputPath === '-';
  const out = toStdout ? '-' : path.resolve(a.outputPath);
  // mteb: "Output path already exists, use --overwrite to overwrite." (refused before any work).
  if (!toStdout && existsSync(out) && !a.overwrite)
    throw new MtebError('E_USAGE', 'the output path already exists; use --overwrite to replace it', { file: a.outputPath, field: 'overwrite' });
  const card = buildModelIndex(a.resultsFolder, { fromExisting: a.fromExisting });
  if (toStdout) {
    process.stdout.write(card.text);
    return 0;
  }
  await writeFileAtomic(out, card.text);
  if (a.format === 'json')
    process.stdout.write(JSON.stringify({ model: card.modelName, output: out, entries: card.entries, files: card.files }, null, 2) + '\n');
  else process.stdout.write(`${a.outputPath}: model-index for ${card.modelName}, ${card.entries} entries from ${card.files.length} result files\n`);
  return 0;
}

export const createMetaCommand = defineCommand(createMetaSpec, createMeta);
