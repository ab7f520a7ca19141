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
 * Splits a byte stream into lines, chunk by chunk, synchronously: `\n`, `\r\n` and a lone `\r` end a line (as
 * node:readline does). `push` hands each complete line to `emit` as a byte range (of the chunk, or of the
 * concatenated pieces of a line that spans chunks) with its 1-based number in `line`; `finish` the last one. A line
 * longer than `max` bytes is an E_PARSE error naming the file and line, before it is ever turned into a string.
 * readLines and the corpus id scan (./jsonl-ids.ts, which reads most rows without decoding them) share it.
 */
export class LineSplitter {
  /** Number of the last line emitted (1-based). */
  line = 0;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private skipLf = false; // the previous chunk ended in \r: a \n starting this one belongs to it

  constructor(
    private readonly file: string,
    private readonly max = MAX_LINE_BYTES,
  ) {}

  private tooLong(): MtebError {
    return new MtebError('E_PARSE', `line is longer than ${this.max} bytes (the reader's limit): not a data row, or the file is not line-based`, {
      file: this.file,
      line: this.line + 1,
    });
  }

  private take(chunk: Buffer, start: number, end: number, emit: (buf: Buffer, start: number, end: number) => void): void {
    let buf = chunk;
    if (this.pending.length) {
      this.pending.push(chunk.subarray(start, end));
      buf = Buffer.concat(this.pending);
      this.pending = [];
      this.pendingBytes = 0;
      start = 0;
      end = buf.length;
    }
    if (end - start > this.max) throw this.tooLong();
    this.line++;
    emit(buf, start, end);
  }

  push(chunk: Buffer, emit: (buf: Buffer, start: number, end: number) => void): void {
    let start = 0;
    if (this.skipLf && chunk.length && chunk[0] === LF) start = 1;
    this.skipLf = false;
    // Line ends found with Buffer.indexOf (native), not byte by byte: ~30 % of a large JSONL read otherwise.
    let nextLf = chunk.indexOf(LF, start);
    let nextCr = chunk.indexOf(CR, start);
    for (;;) {
      if (nextLf >= 0 && nextLf < start) nextLf = chunk.indexOf(LF, start);
      if (nextCr >= 0 && nextCr < start) nextCr = chunk.indexOf(CR, start);
      const i = nextLf < 0 ? nextCr : nextCr < 0 ? nextLf : Math.min(nextLf, nextCr);
      if (i < 0) break;
      const b = chunk[i];
      this.take(chunk, start, i, emit);
      let end = i;
      if (b === CR) {
        if (i + 1 < chunk.length) {
          if (chunk[i + 1] === LF) end = i + 1;
        } else this.skipLf = true;
      }
      start = end + 1;
    }
    if (start < chunk.length) {
      this.pending.push(chunk.subarray(start));
      this.pendingBytes += chunk.length - start;
      if (this.pendingBytes > this.max) throw this.tooLong();
    }
  }

  /** The last line, where the stream does not end with a line end. */
  finish(emit: (buf: Buffer, start: number, end: number) => void): void {
    if (this.pendingBytes > 0) this.take(Buffer.alloc(0), 0, 0, emit);
  }
}

/** A line as bytes: [start, end) of `buf`, its 1-based number. */
export interface LineBytes {
  buf: Buffer;
  start: number;
  end: number;
  line: number;
}

/**
 * The lines of a (possibly gzipped) file as bytes (LineSplitter), one array per chunk read: the readers iterate
 * them synchronously (a generator step per line costs more than parsing a short corpus row). A leading BOM is left
 * in line 1's bytes. I/O and decoding failures are typed (wrapIoError) and name the line being read.
 */
export async function* lineBatches(file: string, opts: LineReadOptions = {}): AsyncGenerator<LineBytes[]> {
  const split = new LineSplitter(file, opts.maxLineBytes ?? MAX_LINE_BYTES);
  const input = openStream(file);
  let batch: LineBytes[] = [];
  const collect = (buf: Buffer, start: number, end: number) => batch.push({ buf, start, end, line: split.line });
  try {
    for await (const c of input) {
      split.push(c as Buffer, collect);
      if (batch.length) {
        yield batch;
        batch = [];
      }
    }
    split.finish(collect);
    if (batch.length) yield batch;
  } catch (e) {
    throw wrapIoError(e, file, e instanceof MtebError ? undefined : split.line > 0 ? split.line + 1 : undefined);
  } finally {
    input.destroy();
  }
}

/** Line 1's bytes start with a UTF-8 BOM (dropped, as every reader drops it). */
export function bomAt(l: LineBytes): boolean {
  return l.line === 1 && l.buf[l.start] === 0xef && l.buf[l.start + 1] === 0xbb && l.buf[l.start + 2] === 0xbf;
}

/** A line's text (UTF-8, line 1's BOM dropped). */
export function lineText(l: LineBytes): string {
  return l.buf.toString('utf8', bomAt(l) ? l.start + 3 : l.start, l.end);
}

/**
 * Lines of a (possibly gzipped) text file with 1-based line numbers, streamed (LineSplitter's line ends); a
 * leading BOM is dropped. A line longer than `maxLineBytes` is an E_PARSE error naming the file and line.
 */
export async function* readLines(file: string, opts: LineReadOptions = {}): AsyncGenerator<{ text: string; line: number }> {
  for await (const batch of lineBatches(file, opts)) for (const l of batch) yield { text: lineText(l), line: l.line };
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
