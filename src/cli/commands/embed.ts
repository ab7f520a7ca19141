import { createReadStream, existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { defineCommand } from '../command.js';
import { MtebError } from '../../core/errors.js';
import { resolveEmbedder } from '../../embedders/resolve.js';
import { embedSpec, type EmbedArgs } from '../options/embed.js';
import { parseJson } from '../../util/json-file.js';

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
      const obj = parseJson(raw, { file: name, line }) as { text?: unknown } | null;
      if (typeof obj?.text !== 'string') throw new MtebError('E_COLUMN_MISSING', 'JSONL line has no string "text"', { file: name, line, field: 'text' });
      texts.push(obj.text);
    } else texts.push(raw);
  }
  return texts;
}

/** `mteb-ts embed`: texts in, JSONL {"text","embedding"} out in input order. */
export async function embed(args: EmbedArgs): Promise<number> {
  const texts = await readTexts(args.input);
  const emb = await resolveEmbedder(args.model, { device: args.device, maxLength: args.maxLength });
  const instruction = args.instruction || undefined;
  try {
    const t0 = Date.now();
    const m = await emb.embed(texts, {
      role: args.role,
      instruction,
      onProgress: (d) => process.stderr.write(`\rembedded ${d}/${texts.length}`),
    });
    if (texts.length) process.stderr.write(` in ${((Date.now() - t0) / 1000).toFixed(2)} s\n`);
    const out: string[] = [];
    // role (and instruction) travel with each vector, so the file can serve as `precomputed:` for asymmetric
    // tasks where the same text is embedded differently as a query and as a passage.
    for (let i = 0; i < m.rows; i++) {
      const embedding = Array.from(m.data.subarray(i * m.dim, (i + 1) * m.dim));
      out.push(JSON.stringify({ text: texts[i], role: args.role, ...(instruction ? { instruction } : {}), embedding }));
    }
    if (args.format === 'json')
      process.stdout.write(`{"model":${JSON.stringify(emb.name)},"revision":${JSON.stringify(emb.revision)},"dimension":${emb.dimension},"items":[${out.join(',')}]}\n`);
    else process.stdout.write(out.join('\n') + (out.length ? '\n' : ''));
  } finally {
    await emb.close?.();
  }
  return 0;
}

export const embedCommand = defineCommand(embedSpec, embed);
