import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';
import { MtebError } from '../../core/errors.js';

export function isGzip(file: string): boolean {
  return file.endsWith('.gz');
}

/** A byte stream of the file, gunzipped when it ends in `.gz`. */
export function openStream(file: string): Readable {
  const raw = createReadStream(file);
  if (!isGzip(file)) return raw;
  const gz = createGunzip();
  raw.on('error', (e) => gz.destroy(e));
  return raw.pipe(gz);
}

function wrapIoError(e: unknown, file: string): MtebError {
  if (e instanceof MtebError) return e;
  const err = e as NodeJS.ErrnoException;
  if (err?.code === 'ENOENT') return new MtebError('E_FILE_MISSING', 'file not found', { file }, { cause: e });
  return new MtebError('E_PARSE', `cannot read: ${err?.message ?? String(e)}`, { file }, { cause: e });
}

/** Lines of a (possibly gzipped) text file with 1-based line numbers, streamed; a leading BOM is dropped. */
export async function* readLines(file: string): AsyncGenerator<{ text: string; line: number }> {
  const input = openStream(file);
  const rl = createInterface({ input, crlfDelay: Infinity });
  let line = 0;
  try {
    for await (const text of rl) {
      line++;
      yield { text: line === 1 && text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, line };
    }
  } catch (e) {
    throw wrapIoError(e, file);
  } finally {
    rl.close();
    input.destroy();
  }
}

/** Whole (possibly gzipped) file as text, for small JSON documents. */
export async function readText(file: string): Promise<string> {
  const chunks: Buffer[] = [];
  try {
    for await (const c of openStream(file)) chunks.push(c as Buffer);
  } catch (e) {
    throw wrapIoError(e, file);
  }
  const s = Buffer.concat(chunks).toString('utf8');
  return s.charCodeAt(0) === 0xfeff ? s.slice(1) : s;
}
