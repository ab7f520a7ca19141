/**
 * Readers for TREC qrels (`qid iter docid rel`), TREC runs (`qid Q0 docid rank score tag`) and mteb-style
 * JSON dicts (`{qid: {docid: number}}`). Errors name file:line (or the JSON field). Like trec_eval, fields
 * are separated by any whitespace, blank lines are skipped, and fields after the run tag are ignored.
 * Query order is the order of first appearance (mteb sums per-query values in run order).
 */
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { MtebError } from '../../core/errors.js';
import { readTrecRunFast } from './trec-run-reader.js';
import type { ColumnRun, Qrels } from './types.js';

const CHUNK = 1 << 24;

/** Calls onLine(line, lineNo) for every line of a UTF-8 file, reading it in chunks (runs can be GBs). */
export function forEachLine(path: string, onLine: (line: string, lineNo: number) => void): void {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    throw new MtebError('E_FILE_MISSING', `cannot open: ${(e as Error).message}`, { file: path });
  }
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const buf = Buffer.allocUnsafe(CHUNK);
  let carry = '';
  let lineNo = 0;
  try {
    for (;;) {
      const n = readSync(fd, buf, 0, CHUNK, null);
      let text: string;
      try {
        text = decoder.decode(buf.subarray(0, n), { stream: n > 0 });
      } catch {
        throw new MtebError('E_PARSE', 'file is not valid UTF-8', { file: path, line: lineNo + 1 });
      }
      text = carry + text;
      let start = 0;
      for (;;) {
        const nl = text.indexOf('\n', start);
        if (nl < 0) break;
        onLine(text.slice(start, nl), ++lineNo);
        start = nl + 1;
      }
      carry = text.slice(start);
      if (n === 0) break;
    }
    if (carry.length) onLine(carry, ++lineNo);
  } finally {
    closeSync(fd);
  }
}

/** Whitespace-separated fields (space, tab, CR, VT, FF, as C isspace). */
export function splitFields(line: string): string[] {
  const out: string[] = [];
  const n = line.length;
  let i = 0;
  while (i < n) {
    let c = line.charCodeAt(i);
    while (i < n && (c === 32 || (c >= 9 && c <= 13))) c = line.charCodeAt(++i);
    if (i >= n) break;
    const s = i;
    while (i < n && !(c === 32 || (c >= 9 && c <= 13))) c = line.charCodeAt(++i);
    out.push(line.slice(s, i));
  }
  return out;
}

const INT_RE = /^[+-]?\d+$/;

export function parseTrecQrels(path: string): Qrels {
  const qrels: Qrels = new Map();
  const firstLine = new Map<string, number>();
  forEachLine(path, (line, lineNo) => {
    const f = splitFields(line);
    if (f.length === 0) return;
    if (f.length !== 4) {
      throw new MtebError('E_PARSE', `expected 4 fields "qid iter docid rel", got ${f.length}`, { file: path, line: lineNo });
    }
    const [qid, , doc, relText] = f;
    if (!INT_RE.test(relText)) {
      throw new MtebError('E_PARSE', `relevance "${relText}" is not an integer`, { file: path, line: lineNo, field: 'rel' });
    }
    let docs = qrels.get(qid);
    if (!docs) qrels.set(qid, (docs = new Map()));
    if (docs.has(doc)) {
      const prev = firstLine.get(`${qid}\u0000${doc}`);
      throw new MtebError('E_PARSE', `duplicate judgement for query "${qid}" doc "${doc}" (first at line ${prev})`, {
        file: path,
        line: lineNo,
      });
    }
    firstLine.set(`${qid}\u0000${doc}`, lineNo);
    docs.set(doc, Number.parseInt(relText, 10));
  });
  return qrels;
}

/** TREC run file -> columns (see trec-run-reader.ts for how it stays fast). */
export function parseTrecRun(path: string): ColumnRun {
  return readTrecRunFast(path);
}

function readJson(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new MtebError('E_FILE_MISSING', `cannot read: ${(e as Error).message}`, { file: path });
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    const msg = (e as Error).message;
    const m = /position (\d+)/.exec(msg);
    const line = m ? text.slice(0, Number(m[1])).split('\n').length : undefined;
    throw new MtebError('E_PARSE', `invalid JSON: ${msg}`, { file: path, line });
  }
}

/** `{qid: {docid: number}}`; kind 'qrels' also requires integer values. Key order is kept. */
export function parseJsonDict(path: string, kind: 'qrels' | 'run'): Map<string, Map<string, number>> {
  const data = readJson(path);
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new MtebError('E_PARSE', `expected a JSON object {query id: {doc id: ${kind === 'qrels' ? 'relevance' : 'score'}}}`, {
      file: path,
    });
  }
  const out = new Map<string, Map<string, number>>();
  for (const [qid, docs] of Object.entries(data as Record<string, unknown>)) {
    if (docs === null || typeof docs !== 'object' || Array.isArray(docs)) {
      throw new MtebError('E_PARSE', 'expected an object of doc id -> number', { file: path, field: qid });
    }
    const m = new Map<string, number>();
    for (const [doc, v] of Object.entries(docs as Record<string, unknown>)) {
      if (typeof v !== 'number' || (kind === 'qrels' && !Number.isInteger(v))) {
        throw new MtebError('E_BAD_VALUE', `${kind === 'qrels' ? 'relevance must be an integer' : 'score must be a number'}, got ${JSON.stringify(v)}`, {
          file: path,
          field: `${qid}.${doc}`,
        });
      }
      m.set(doc, v);
    }
    out.set(qid, m);
  }
  return out;
}

/** JSON when the file's first non-blank character is '{', TREC text otherwise. */
function looksLikeJson(path: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    throw new MtebError('E_FILE_MISSING', `cannot open: ${(e as Error).message}`, { file: path });
  }
  try {
    const b = Buffer.alloc(4096);
    const n = readSync(fd, b, 0, b.length, 0);
    const head = b.subarray(0, n).toString('utf8').trimStart();
    return head.startsWith('{');
  } finally {
    closeSync(fd);
  }
}

export function readQrels(path: string): Qrels {
  return looksLikeJson(path) ? parseJsonDict(path, 'qrels') : parseTrecQrels(path);
}

export function readRun(path: string): ColumnRun | Map<string, Map<string, number>> {
  return looksLikeJson(path) ? parseJsonDict(path, 'run') : parseTrecRun(path);
}
