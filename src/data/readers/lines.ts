import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';
import { MtebError } from '../../core/errors.js';

export function isGzip(file: string): boolean {
  return file.endsWith('.gz');
}

/**
 * Longest line (bytes, after gunzip) the text readers accept: far beyond any real dataset row, and below V8's
 * ~512 MiB string limit, past which a line could only crash the process. Over it: E_PARSE naming file and line.
 */
export const MAX_LINE_BYTES = 256 * 1024 * 1024;
/** Largest whole-file text (`.json` documents) read into one string, for the same reason. */
export const MAX_TEXT_BYTES = 480 * 1024 * 1024;

export interface LineReadOptions {
  /** Overrides MAX_LINE_BYTES (tests use a small one). */
  maxLineBytes?: number;
}

/** A byte stream of the file, gunzipped when it ends in `.gz`. */
export function openStream(file: string): Readable {
  const raw = createReadStream(file);
  if (!isGzip(file)) return raw;
  const gz = createGunzip();
  raw.on('error', (e) => gz.destroy(e));
  return raw.pipe(gz);
}

/**
 * Every filesystem or decoding failure of a data file as a typed error naming it: a missing file, a folder
 * where a file belongs, no permission, a corrupt or truncated gzip stream.
 */
export function wrapIoError(e: unknown, file: string, line?: number): MtebError {
  if (e instanceof MtebError) return e;
  const err = e as NodeJS.ErrnoException;
  const loc = { file, ...(line !== undefined ? { line } : {}) };
  if (err?.code === 'ENOENT') return new MtebError('E_FILE_MISSING', 'file not found', loc, { cause: e });
  if (err?.code === 'EISDIR') return new MtebError('E_FILE_MISSING', 'is a folder, expected a file', loc, { cause: e });
  if (err?.code === 'EACCES' || err?.code === 'EPERM') return new MtebError('E_FILE_MISSING', 'no permission to read the file', loc, { cause: e });
  if (err?.code === 'Z_DATA_ERROR' || err?.code === 'Z_BUF_ERROR' || /unexpected end of file|incorrect header check/i.test(err?.message ?? ''))
    return new MtebError('E_PARSE', `corrupt or truncated gzip data: ${err.message}`, loc, { cause: e });
  if (err?.code === 'ERR_STRING_TOO_LONG' || e instanceof RangeError)
    return new MtebError('E_PARSE', `too large to read as text: ${err.message}`, loc, { cause: e });
  return new MtebError('E_PARSE', `cannot read: ${err?.message ?? String(e)}`, loc, { cause: e });
}

const LF = 0x0a;
const CR = 0x0d;

/**
 * Lines of a (possibly gzipped) text file with 1-based line numbers, streamed; `\n`, `\r\n` and a lone `\r`
 * end a line (as node:readline does); a leading BOM is dropped. A line longer than `maxLineBytes` is an
 * E_PARSE error naming the file and line, before it is ever turned into a string.
 */
export async function* readLines(file: string, opts: LineReadOptions = {}): AsyncGenerator<{ text: string; line: number }> {
  const max = opts.maxLineBytes ?? MAX_LINE_BYTES;
  const input = openStream(file);
  let line = 0;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let skipLf = false; // the previous chunk ended in \r: a \n starting this one belongs to it
  const tooLong = () =>
    new MtebError('E_PARSE', `line is longer than ${max} bytes (the reader's limit): not a data row, or the file is not line-based`, { file, line: line + 1 });
  const take = (chunk: Buffer, start: number, end: number): string => {
    let buf: Buffer;
    if (pending.length) {
      pending.push(chunk.subarray(start, end));
      buf = Buffer.concat(pending);
      pending = [];
      pendingBytes = 0;
    } else buf = chunk.subarray(start, end);
    if (buf.length > max) throw tooLong();
    line++;
    const text = buf.toString('utf8');
    return line === 1 && text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  };
  try {
    for await (const c of input) {
      const chunk = c as Buffer;
      let start = 0;
      if (skipLf && chunk.length && chunk[0] === LF) start = 1;
      skipLf = false;
      // Line ends found with Buffer.indexOf (native), not byte by byte: ~30 % of a large JSONL read otherwise.
      let nextLf = chunk.indexOf(LF, start);
      let nextCr = chunk.indexOf(CR, start);
      for (;;) {
        if (nextLf >= 0 && nextLf < start) nextLf = chunk.indexOf(LF, start);
        if (nextCr >= 0 && nextCr < start) nextCr = chunk.indexOf(CR, start);
        const i = nextLf < 0 ? nextCr : nextCr < 0 ? nextLf : Math.min(nextLf, nextCr);
        if (i < 0) break;
        const b = chunk[i];
        const text = take(chunk, start, i);
        let end = i;
        if (b === CR) {
          if (i + 1 < chunk.length) {
            if (chunk[i + 1] === LF) end = i + 1;
          } else skipLf = true;
        }
        start = end + 1;
        yield { text, line };
      }
      if (start < chunk.length) {
        pending.push(chunk.subarray(start));
        pendingBytes += chunk.length - start;
        if (pendingBytes > max) throw tooLong();
      }
    }
    if (pendingBytes > 0) {
      const text = take(Buffer.alloc(0), 0, 0);
      yield { text, line };
    }
  } catch (e) {
    throw wrapIoError(e, file, e instanceof MtebError ? undefined : line > 0 ? line + 1 : undefined);
  } finally {
    input.destroy();
  }
}

/** Whole (possibly gzipped) file as text, for small JSON documents. */
export async function readText(file: string, opts: { maxBytes?: number } = {}): Promise<string> {
  const max = opts.maxBytes ?? MAX_TEXT_BYTES;
  const chunks: Buffer[] = [];
  let bytes = 0;
  let s: string;
  try {
    for await (const c of openStream(file)) {
      chunks.push(c as Buffer);
      bytes += (c as Buffer).length;
      if (bytes > max) throw new MtebError('E_PARSE', `larger than ${max} bytes, too large to read as one JSON document (use JSON lines)`, { file });
    }
    s = Buffer.concat(chunks).toString('utf8');
  } catch (e) {
    throw wrapIoError(e, file);
  }
  return s.charCodeAt(0) === 0xfeff ? s.slice(1) : s;
}
