import Table from 'cli-table3';
import { defineCommand } from '../command.js';
import { REGISTERED_MODEL_PROMPTS } from '../../registry/model-prompts.js';
import { modelsSpec, type ModelsArgs } from '../options/models.js';
import { colorOn } from '../../util/color.js';
import { wrapWidths } from '../../util/terminal-table.js';

/** Shows a prompt with its trailing space visible ('' = none). */
const show = (p: string) => (p ? JSON.stringify(p) : '—');

/** `mteb-ts models`: the registered models' prompts as a table or JSON. */
export async function models(args: ModelsArgs): Promise<number> {
  if (args.json || args.format === 'json') {
    process.stdout.write(JSON.stringify(REGISTERED_MODEL_PROMPTS, null, 2) + '\n');
    return 0;
  }
  const table = new Table({
    head: ['model', 'spec: family', 'query prompt', 'passage prompt', 'source'],
    // Sized to the terminal (text wraps inside the cells); pipes and files get the full widths. Without a terminal
    // the source column takes what it needs: a cut URL is no use.
    colWidths: process.stdout.isTTY ? wrapWidths([36, 21, 32, 22, 60], process.stdout.columns) : [36, 21, 32, 22],
    wordWrap: true,
    ...(colorOn(process.stdout) ? {} : { style: { head: [], border: [] } }),
  });
  for (const m of REGISTERED_MODEL_PROMPTS) {
    const extra = m.taskTypes ? `\n+ per task type: ${Object.entries(m.taskTypes).map(([t, p]) => `${t} ${show(p)}`).join(', ')}` : '';
    table.push([m.name, `${m.spec}: ${m.family}`, show(m.query) + extra, show(m.passage), m.source.replace(/^https:\/\//, '') + (m.note ? `\n(${m.note})` : '')]);
  }
  process.stdout.write(table.toString() + '\n');
  process.stdout.write("A checkpoint's own config_sentence_transformers.json prompts come first; hf:PATH?query_prompt=...&passage_prompt=... overrides both.\n");
  return 0;
}

export const modelsCommand = defineCommand(modelsSpec, models);
