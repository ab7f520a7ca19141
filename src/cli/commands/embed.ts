import { createReadStream, existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Argv } from 'yargs';
import type { CliCommand } from '../command.js';
import type { Role } from '../../core/embedder.js';
import { MtebError } from '../../core/errors.js';
import { resolveEmbedder } from '../../embedders/resolve.js';

/** Texts from a file or stdin: one per line, or JSONL lines `{"text": ...}` (decided per line). */
export async function readTexts(file?: string): Promise<string[]> {
  if (file && file !== '-' && !existsSync(file)) throw new MtebError('E_FILE_MISSING', 'input file not found', { file });
  const input = !file || file === '-' ? process.stdin : createReadStream(file, 'utf8');
  const name = !file || file === '-' ? '<stdin>' : file;
  const texts: string[] = [];
  let line = 0;
  for await (const raw of createInterface({ input, crlfDelay: Infinity })) {
    line++;
    if (raw.trim() === '') continue;
    if (raw.trimStart().startsWith('{')) {
      let obj: any;
      try {
        obj = JSON.parse(raw);
      } catch (e) {
        throw new MtebError('E_PARSE', `not valid JSON: ${(e as Error).message}`, { file: name, line });
      }
      if (typeof obj?.text !== 'string') throw new MtebError('E_COLUMN_MISSING', 'JSONL line has no string "text"', { file: name, line, field: 'text' });
      texts.push(obj.text);
    } else texts.push(raw);
  }
  return texts;
}

/** `mteb-ts embed`: texts in, JSONL {"text","embedding"} out in input order. */
export const embedCommand: CliCommand = {
  command: 'embed',
  describe: 'Embed texts (one per line or JSONL {"text"}) with a model spec; writes JSONL {"text","embedding"}',
  builder: (y: Argv) =>
    y
      .option('model', { alias: 'm', type: 'string', demandOption: true, describe: 'model spec, e.g. nvembed:fixtures/models/nv-embed-tiny' })
      .option('instruction', { type: 'string', default: '', describe: 'task instruction (NV-Embed wraps it as "Instruct: …\\nQuery: ")' })
      .option('role', { choices: ['query', 'passage'] as const, default: 'query', describe: 'side of the task the texts are on' })
      .option('max-length', { type: 'number', describe: 'token limit per text (after the template)' })
      .option('device', { type: 'string', describe: 'cpu | cuda[:N] | webgpu | tensorrt (in-process models)' })
      .option('input', { type: 'string', describe: 'input file (default stdin)' }),
  handler: async (args) => {
    const texts = await readTexts(args.input as string | undefined);
    const emb = await resolveEmbedder(args.model as string, { device: args.device as string | undefined, maxLength: args['max-length'] as number | undefined });
    try {
      const t0 = Date.now();
      const m = await emb.embed(texts, {
        role: args.role as Role,
        instruction: (args.instruction as string) || undefined,
        onProgress: (d) => process.stderr.write(`\rembedded ${d}/${texts.length}`),
      });
      if (texts.length) process.stderr.write(` in ${((Date.now() - t0) / 1000).toFixed(2)} s\n`);
      const out: string[] = [];
      // role (and instruction) travel with each vector, so the file can serve as `precomputed:` for asymmetric
      // tasks where the same text is embedded differently as a query and as a passage.
      const instruction = (args.instruction as string) || undefined;
      for (let i = 0; i < m.rows; i++) {
        const embedding = Array.from(m.data.subarray(i * m.dim, (i + 1) * m.dim));
        out.push(JSON.stringify({ text: texts[i], role: args.role, ...(instruction ? { instruction } : {}), embedding }));
      }
      process.stdout.write(out.join('\n') + (out.length ? '\n' : ''));
    } finally {
      await emb.close?.();
    }
    return 0;
  },
};
