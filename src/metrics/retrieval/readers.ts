/**
 * Readers for qrels — TREC (`qid iter docid rel`), BEIR's TSV (`query-id<TAB>corpus-id<TAB>score`, with or
 * without its header line) or JSON `{qid: {docid: rel}}` — and runs — TREC (`qid Q0 docid rank score tag`) or
 * JSON `{qid: {docid: score}}`. The format is detected from the file (see `detectQrelsFormat`). Errors name
 * file:line (or the JSON field). TREC files are split on any whitespace like trec_eval (blank lines skipped,
 * fields after the run tag ignored); BEIR TSV lines are split on tabs, and a field holding whitespace is an
 * error (` 0 31715818` would silently never match a doc id). Query order is the order of first appearance
 * (mteb sums per-query values in run order).
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { MtebError } from '../../core/errors.js';
import { readTrecRunFast } from './trec-run-reader.js';
import { readJsonFile } from '../../util/json-file.js';
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

/** Adds one judgement; a repeated (query, doc) pair is an error naming the first line. */
function addJudgement(qrels: Qrels, firstLine: Map<string, number>, qid: string, doc: string, rel: number, path: string, lineNo: number): void {
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
  docs.set(doc, rel);
}

/** TREC qrels `qid iter docid rel`, whitespace-separated (as trec_eval reads them); exactly 4 fields a line. */
export function parseTrecQrels(path: string): Qrels {
  const qrels: Qrels = new Map();
  const firstLine = new Map<string, number>();
  forEachLine(path, (line, lineNo) => {
    const f = splitFields(line);
    if (f.length === 0) return;
    if (f.length !== 4) {
      throw new MtebError('E_PARSE', `expected 4 fields "qid iter docid rel" (TREC qrels, as the file's first line), got ${f.length}`, {
        file: path,
        line: lineNo,
      });
    }
    const [qid, , doc, relText] = f;
    if (!INT_RE.test(relText)) {
      throw new MtebError('E_PARSE', `relevance "${relText}" is not an integer`, { file: path, line: lineNo, field: 'rel' });
    }
    addJudgement(qrels, firstLine, qid, doc, Number.parseInt(relText, 10), path, lineNo);
  });
  return qrels;
}

/** Column names accepted in a BEIR-style header line (BEIR and mteb write `query-id corpus-id score`). */
const HEADER_NAMES: [Set<string>, Set<string>, Set<string>] = [
  new Set(['query-id', 'query_id', 'qid', 'query', 'topic']),
  new Set(['corpus-id', 'corpus_id', 'doc-id', 'doc_id', 'docid', 'docno', 'pid', 'doc']),
  new Set(['score', 'rel', 'relevance', 'label', 'grade']),
];

function isHeader(f: string[]): boolean {
  return f.length === 3 && f.every((v, i) => HEADER_NAMES[i].has(v.toLowerCase()));
}

const WS_RE = /[\s\u0085\u00a0\ufeff]/;
/** An integer, or a number with an all-zero fraction ("1.0": BEIR files written by pandas). */
const BEIR_REL_RE = /^[+-]?\d+(\.0*)?$/;

export type QrelsTextFormat = 'trec' | 'beir-tsv' | 'beir-ws';

export interface QrelsFormat {
  format: QrelsTextFormat;
  /** Whether the first non-blank line is a header (BEIR only). */
  header: boolean;
}

/**
 * From the first non-blank line: with a tab in it, the tab-separated cells decide (3: BEIR TSV, 4: TREC);
 * without one, the whitespace-separated fields (3: BEIR columns separated by spaces, 4: TREC). A 3-field first
 * line whose names are `query-id corpus-id score` (or `qid docid rel` and similar) is a header.
 */
export function detectQrelsFormat(path: string): QrelsFormat {
  let found: QrelsFormat | undefined;
  try {
    forEachLine(path, (line, lineNo) => {
      const text = line.endsWith('\r') ? line.slice(0, -1) : line;
      const ws = splitFields(text);
      if (ws.length === 0) return;
      if (text.includes('\t')) {
        const cells = text.split('\t');
        if (cells.length === 3) found = { format: 'beir-tsv', header: isHeader(cells.map((c) => c.trim())) };
        else if (cells.length === 4) found = { format: 'trec', header: false };
      } else if (ws.length === 3) found = { format: 'beir-ws', header: isHeader(ws) };
      else if (ws.length === 4) found = { format: 'trec', header: false };
      if (!found) {
        throw new MtebError(
          'E_PARSE',
          `not a qrels line: expected TREC "qid iter docid rel" (4 fields) or BEIR "query-id<TAB>corpus-id<TAB>score" (3 fields), got ${text.includes('\t') ? `${text.split('\t').length} tab-separated` : ws.length} fields`,
          { file: path, line: lineNo },
        );
      }
      throw STOP;
    });
  } catch (e) {
    if (e !== STOP) throw e;
  }
  // An empty file: TREC (no judgements).
  return found ?? { format: 'trec', header: false };
}
const STOP = new Error('stop');

/**
 * BEIR qrels: `query-id corpus-id score` per line, tab-separated (`beir-tsv`, each line must have exactly 3
 * cells and no cell may hold whitespace) or space-separated (`beir-ws`), with or without the header line.
 * Relevance must be an integer ("2" or "2.0"; mteb casts with int()).
 */
export function parseBeirQrels(path: string, fmt: QrelsFormat = detectQrelsFormat(path)): Qrels {
  if (fmt.format === 'trec') return parseTrecQrels(path);
  const qrels: Qrels = new Map();
  const firstLine = new Map<string, number>();
  const tsv = fmt.format === 'beir-tsv';
  let headerPending = fmt.header;
  forEachLine(path, (line, lineNo) => {
    const text = line.endsWith('\r') ? line.slice(0, -1) : line;
    if (splitFields(text).length === 0) return;
    if (headerPending) {
      headerPending = false;
      return;
    }
    let f: string[];
    if (tsv) {
      f = text.split('\t');
      if (f.length !== 3) {
        throw new MtebError(
          'E_PARSE',
          `expected 3 tab-separated fields "query-id corpus-id score" (BEIR TSV, as the file's first line), got ${f.length}${f.length === 1 ? ' (no tab)' : ''}`,
          { file: path, line: lineNo },
        );
      }
      const names = ['query-id', 'corpus-id', 'score'];
      for (let i = 0; i < 2; i++) {
        if (f[i] === '') throw new MtebError('E_PARSE', `${names[i]} is empty`, { file: path, line: lineNo, field: names[i] });
        if (WS_RE.test(f[i])) {
          throw new MtebError(
            'E_PARSE',
            `${names[i]} ${JSON.stringify(f[i])} contains whitespace, so it would never match a ${i === 0 ? 'query' : 'document'} id (a stray space, or a space where a tab belongs?); ids with spaces need JSON qrels`,
            { file: path, line: lineNo, field: names[i] },
          );
        }
      }
      f[2] = f[2].trim();
    } else {
      f = splitFields(text);
      if (f.length !== 3) {
        throw new MtebError('E_PARSE', `expected 3 fields "query-id corpus-id score" (as the file's first line), got ${f.length}`, {
          file: path,
          line: lineNo,
        });
      }
    }
    const [qid, doc, relText] = f;
    if (!BEIR_REL_RE.test(relText)) {
      throw new MtebError('E_PARSE', `relevance ${JSON.stringify(relText)} is not an integer`, { file: path, line: lineNo, field: 'score' });
    }
    addJudgement(qrels, firstLine, qid, doc, Number.parseInt(relText, 10), path, lineNo);
  });
  return qrels;
}

/** TREC run file -> columns (see trec-run-reader.ts for how it stays fast). */
export function parseTrecRun(path: string): ColumnRun {
  return readTrecRunFast(path);
}

/** `{qid: {docid: number}}`; kind 'qrels' also requires integer values. Key order is kept. */
export function parseJsonDict(path: string, kind: 'qrels' | 'run'): Map<string, Map<string, number>> {
  const data = readJsonFile(path).value;
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

/** JSON, TREC or BEIR qrels, whichever the file is (see `detectQrelsFormat`). */
export function readQrels(path: string): Qrels {
  if (looksLikeJson(path)) return parseJsonDict(path, 'qrels');
  return parseBeirQrels(path, detectQrelsFormat(path));
}

export function readRun(path: string): ColumnRun | Map<string, Map<string, number>> {
  return looksLikeJson(path) ? parseJsonDict(path, 'run') : parseTrecRun(path);
}
