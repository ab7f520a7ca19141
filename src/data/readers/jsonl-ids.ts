import { bomAt, lineBatches, lineText, type LineReadOptions } from './lines.js';
import { isBlankLine, parseJsonRow, type LocatedRow } from './rows.js';

/**
 * The id of a corpus row (`_id`, else `id`, as corpus-text.ts corpusIdOf reads JSON.parse's object) straight from
 * the line's UTF-8 bytes, without materialising its other values (a shard's loader needs every row's id but only
 * its own chunks' text). Returns undefined wherever it is not sure, and the caller parses the line in full: not an
 * object, no `_id`/`id` key, an id that is an object or array, a string id holding a control character, a number
 * JSON would refuse. Duplicated keys: the last one wins, as JSON.parse. A key or string id with escapes is decoded
 * by JSON.parse of that token alone. The rest of the line is only skimmed (strings skipped by their quotes, nested
 * values by bracket depth), not validated: an id found in a malformed line is taken, and the line is reported by
 * whichever pass parses it in full (the shard owning its chunk, or the embedding's read-back), never scored.
 */
export function scanJsonId(buf: Buffer, start: number, end: number): string | undefined {
  let i = skipWs(buf, start, end);
  if (buf[i] !== LBRACE) return undefined;
  i = skipWs(buf, i + 1, end);
  let uidStart = -1;
  let uidEnd = -1;
  let idStart = -1;
  let idEnd = -1;
  if (buf[i] === RBRACE) return undefined; // {}: no id
  for (;;) {
    if (i >= end || buf[i] !== QUOTE) return undefined;
    const ks = i;
    i = skipString(buf, i, end);
    if (i < 0) return undefined;
    const key = keyOf(buf, ks, i);
    if (key < 0) return undefined;
    i = skipWs(buf, i, end);
    if (buf[i] !== COLON || i >= end) return undefined;
    i = skipWs(buf, i + 1, end);
    const vs = i;
    i = skipValue(buf, i, end);
    if (i < 0) return undefined;
    if (key === KEY_UNDERSCORE_ID) [uidStart, uidEnd] = [vs, i];
    else if (key === KEY_ID) [idStart, idEnd] = [vs, i];
    i = skipWs(buf, i, end);
    if (i >= end) return undefined;
    if (buf[i] === COMMA) {
      i = skipWs(buf, i + 1, end);
      continue;
    }
    if (buf[i] !== RBRACE) return undefined;
    break;
  }
  if (skipWs(buf, i + 1, end) !== end) return undefined;
  return uidStart >= 0 ? idValue(buf, uidStart, uidEnd) : idStart >= 0 ? idValue(buf, idStart, idEnd) : undefined;
}

/**
 * The rows of a JSON-lines file as the corpus loader's first pass wants them: `each(id, parse)` per row (blank
 * lines skipped and not counted, as readRows), `id` the scanned id or undefined where scanJsonId declined; `parse`
 * returns the row as readRows would (the same E_PARSE errors naming file and line). No line is decoded to a string
 * unless it is parsed.
 */
export async function scanJsonlRows(file: string, opts: LineReadOptions, each: (id: string | undefined, parse: () => LocatedRow) => void): Promise<void> {
  let index = 0;
  for await (const batch of lineBatches(file, opts)) {
    for (const l of batch) {
      const id = scanJsonId(l.buf, bomAt(l) ? l.start + 3 : l.start, l.end);
      if (id === undefined && isBlankLine(l)) continue;
      const at = index++;
      each(id, () => ({ row: parseJsonRow(lineText(l), file, l.line), file, index: at, line: l.line }));
    }
  }
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const LBRACE = 0x7b;
const RBRACE = 0x7d;
const LBRACKET = 0x5b;
const RBRACKET = 0x5d;
const COLON = 0x3a;
const COMMA = 0x2c;
const KEY_OTHER = 0;
const KEY_UNDERSCORE_ID = 1;
const KEY_ID = 2;
/** JSON's number grammar (Number() takes more: hex, leading zeros, `Infinity`...). */
const JSON_NUMBER = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$/;

/** JSON's whitespace only (JSON.parse refuses the other Unicode spaces). */
function skipWs(buf: Buffer, i: number, end: number): number {
  while (i < end) {
    const b = buf[i];
    if (b !== 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) break;
    i++;
  }
  return i;
}

/** From the opening quote at i to just past the closing one (a quote after an odd run of backslashes is escaped); -1: none in the line. */
function skipString(buf: Buffer, i: number, end: number): number {
  let j = i + 1;
  for (;;) {
    const q = buf.indexOf(QUOTE, j);
    if (q < 0 || q >= end) return -1;
    let k = q - 1;
    while (buf[k] === BACKSLASH) k--;
    if ((q - 1 - k) % 2 === 0) return q + 1;
    j = q + 1;
  }
}

/** Past a value at i: a string, a nested object or array (by bracket depth, strings skipped), or a scalar token; -1: it does not end in the line. */
function skipValue(buf: Buffer, i: number, end: number): number {
  const b = buf[i];
  if (i >= end) return -1;
  if (b === QUOTE) return skipString(buf, i, end);
  if (b === LBRACE || b === LBRACKET) {
    let depth = 0;
    for (let j = i; j < end; j++) {
      const c = buf[j];
      if (c === QUOTE) {
        j = skipString(buf, j, end);
        if (j < 0) return -1;
        j--;
      } else if (c === LBRACE || c === LBRACKET) depth++;
      else if (c === RBRACE || c === RBRACKET) {
        if (--depth === 0) return j + 1;
      }
    }
    return -1;
  }
  let j = i;
  while (j < end) {
    const c = buf[j];
    if (c === COMMA || c === RBRACE || c === RBRACKET || c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) break;
    j++;
  }
  return j === i ? -1 : j;
}

/** Whether the key token [s, e) (quotes included) is `_id`, `id` or another key; -1: an escaped key JSON.parse refuses. */
function keyOf(buf: Buffer, s: number, e: number): number {
  const n = e - s;
  if (n === 5 && buf[s + 1] === 0x5f && buf[s + 2] === 0x69 && buf[s + 3] === 0x64) return KEY_UNDERSCORE_ID;
  if (n === 4 && buf[s + 1] === 0x69 && buf[s + 2] === 0x64) return KEY_ID;
  const bs = buf.indexOf(BACKSLASH, s);
  if (bs < 0 || bs >= e) return KEY_OTHER;
  const k = decodeString(buf, s, e);
  return k === undefined ? -1 : k === '_id' ? KEY_UNDERSCORE_ID : k === 'id' ? KEY_ID : KEY_OTHER;
}

function decodeString(buf: Buffer, s: number, e: number): string | undefined {
  try {
    const v: unknown = JSON.parse(buf.toString('utf8', s, e));
    return typeof v === 'string' ? v : undefined;
  } catch {
    return undefined;
  }
}

/** The id value [s, e) as String(JSON.parse(token)); undefined where the full parse must decide. */
function idValue(buf: Buffer, s: number, e: number): string | undefined {
  if (buf[s] === QUOTE) {
    let plain = true;
    for (let j = s + 1; j < e - 1; j++) {
      const c = buf[j];
      if (c < 0x20) return undefined; // JSON.parse refuses a raw control character
      if (c === BACKSLASH || c >= 0x80) plain = false;
    }
    return plain ? buf.toString('latin1', s + 1, e - 1) : decodeString(buf, s, e);
  }
  const tok = buf.toString('latin1', s, e);
  if (tok === 'true' || tok === 'false' || tok === 'null') return tok;
  return JSON_NUMBER.test(tok) ? String(Number(tok)) : undefined;
}
