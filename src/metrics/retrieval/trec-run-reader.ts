/**
 * Fast TREC run reader working on bytes: a 10^7-line run must parse about as fast as trec_eval does. Per line
 * it hashes the doc id bytes once, checks duplicates of the current query in a small per-query hash table (it
 * stays in cache; a Set or a global interning table costs cache misses per line), decodes the id with one
 * native call, and parses the score with an exact fast path (an integer mantissa < 2^53 divided by a power of
 * ten ≤ 10^22 is correctly rounded) before falling back to Number().
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { MtebError } from '../../core/errors.js';
import type { ColumnRun } from './types.js';

const CHUNK = 1 << 24;
const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);
const FLOAT_RE = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Duplicate detection for the docs of the query being read: open addressing over (index, hash) pairs. */
class QueryDocSet {
  private slots = new Int32Array(2 * 2048).fill(-1);
  private count = 0;

  /** Index (into ids) of an earlier doc equal to `id`, else -1 after recording `index`. */
  addOrFind(h: number, id: string, ids: string[], index: number): number {
    let slots = this.slots;
    let mask = (slots.length >> 1) - 1;
    let p = h & mask;
    for (;;) {
      const at = slots[2 * p];
      if (at < 0) break;
      if (slots[2 * p + 1] === h && ids[at] === id) return at;
      p = (p + 1) & mask;
    }
    slots[2 * p] = index;
    slots[2 * p + 1] = h;
    if (++this.count * 2 > mask + 1) {
      const old = slots;
      this.slots = slots = new Int32Array(old.length * 2).fill(-1);
      mask = (slots.length >> 1) - 1;
      for (let q = 0; q < old.length; q += 2) {
        if (old[q] < 0) continue;
        let r = old[q + 1] & mask;
        while (slots[2 * r] >= 0) r = (r + 1) & mask;
        slots[2 * r] = old[q];
        slots[2 * r + 1] = old[q + 1];
      }
    }
    return -1;
  }

  reset(): void {
    if (this.count) this.slots.fill(-1);
    this.count = 0;
  }
}

/** FNV-1a over bytes. */
function hashBytes(buf: Uint8Array, s: number, e: number): number {
  let h = 0x811c9dc5;
  for (let i = s; i < e; i++) h = Math.imul(h ^ buf[i], 0x01000193);
  return h;
}

function sameBytes(a: Uint8Array, b: Uint8Array, s: number, e: number): boolean {
  if (a.length !== e - s) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[s + i]) return false;
  return true;
}

/** Exact parse of a decimal score in buf[s, e), or NaN if it is not a number. */
function parseScore(buf: Buffer, s: number, e: number): number {
  let i = s;
  let neg = false;
  if (buf[i] === 45 || buf[i] === 43) {
    neg = buf[i] === 45;
    i++;
  }
  let mant = 0;
  let digits = 0;
  let frac = 0;
  let seenDigit = false;
  let dot = false;
  for (; i < e; i++) {
    const c = buf[i];
    if (c >= 48 && c <= 57) {
      seenDigit = true;
      if (mant !== 0 || c !== 48) digits++;
      mant = mant * 10 + (c - 48);
      if (dot) frac++;
    } else if (c === 46 && !dot) dot = true;
    else break;
  }
  if (i === e && seenDigit && digits <= 15 && frac <= 22) {
    const v = mant / POW10[frac];
    return neg ? -v : v;
  }
  const text = buf.toString('latin1', s, e);
  return FLOAT_RE.test(text) ? Number(text) : NaN;
}

interface Building {
  docIds: string[];
  scores: number[];
  /** line of each doc, for duplicate messages */
  lines: number[];
}

export function readTrecRunFast(path: string, chunkSize: number = CHUNK): ColumnRun {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    throw new MtebError('E_FILE_MISSING', `cannot open: ${(e as Error).message}`, { file: path });
  }
  const queries = new Map<string, Building>();
  const seen = new QueryDocSet();
  let current: Building | null = null;
  let curQidBytes: Uint8Array = new Uint8Array(0);
  let lineNo = 0;
  const bounds = new Int32Array(12);
  let buf = Buffer.allocUnsafe(Math.max(2, chunkSize));
  let carry = 0; // bytes of an unfinished line kept at the start of buf

  const fail = (msg: string, field?: string): never => {
    throw new MtebError('E_PARSE', msg, { file: path, line: lineNo, field });
  };

  /** Parses the line starting at s (a '\n' is known to come before `end`); returns the newline's index. */
  const handleLine = (b: Buffer, s: number, end: number): number => {
    lineNo++;
    let i = s;
    let f = 0;
    let c = b[i];
    for (;;) {
      while (c !== 10 && (c === 32 || (c >= 9 && c <= 13))) c = b[++i];
      if (c === 10 || i >= end) break;
      bounds[2 * f] = i;
      while (!(c === 32 || (c >= 9 && c <= 13))) c = b[++i];
      bounds[2 * f + 1] = i;
      if (++f === 6) {
        while (c !== 10) c = b[++i];
        break;
      }
    }
    const nl = i;
    if (f === 0) return nl;
    if (f < 6) fail(`expected 6 fields "qid Q0 docid rank score tag", got ${f}`);
    const qs = bounds[0];
    const qe = bounds[1];
    if (current === null || !sameBytes(curQidBytes, b, qs, qe)) {
      const qid = b.toString('utf8', qs, qe);
      curQidBytes = Uint8Array.prototype.slice.call(b, qs, qe); // a copy: Buffer#slice would be a view
      current = queries.get(qid) ?? null;
      seen.reset();
      if (current === null) {
        current = { docIds: [], scores: [], lines: [] };
        queries.set(qid, current);
      } else {
        // the query comes back after another one: re-index its docs
        const ids = current.docIds;
        for (let k = 0; k < ids.length; k++) {
          const bytes = Buffer.from(ids[k], 'utf8');
          seen.addOrFind(hashBytes(bytes, 0, bytes.length), ids[k], ids, k);
        }
      }
    }
    const ds = bounds[4];
    const de = bounds[5];
    let h = 0x811c9dc5;
    let high = 0;
    for (let k = ds; k < de; k++) {
      const ch = b[k];
      high |= ch;
      h = Math.imul(h ^ ch, 0x01000193);
    }
    const doc = b.toString(high < 128 ? 'latin1' : 'utf8', ds, de);
    const dup = seen.addOrFind(h, doc, current.docIds, current.docIds.length);
    if (dup >= 0) {
      fail(
        `duplicate doc "${doc}" for query "${b.toString('utf8', qs, qe)}" (first at line ${current.lines[dup]}) (trec_eval rejects duplicates)`,
      );
    }
    const score = parseScore(b, bounds[8], bounds[9]);
    if (Number.isNaN(score)) fail(`score "${b.toString('utf8', bounds[8], bounds[9])}" is not a number`, 'score');
    current.docIds.push(doc);
    current.scores.push(score);
    current.lines.push(lineNo);
    return nl;
  };

  try {
    for (;;) {
      if (carry === buf.length) {
        const bigger = Buffer.allocUnsafe(buf.length * 2);
        buf.copy(bigger, 0, 0, carry);
        buf = bigger;
      }
      const n = readSync(fd, buf, carry, buf.length - carry, null);
      let end = carry + n;
      if (n === 0) {
        if (end === 0) break;
        buf[end++] = 10; // last line without a newline (buf always has room: carry < buf.length)
      }
      const lastNl = buf.lastIndexOf(10, end - 1);
      let s = 0;
      while (s <= lastNl) s = handleLine(buf, s, lastNl + 1) + 1;
      if (n === 0) break;
      carry = end - s;
      buf.copy(buf, 0, s, end);
    }
  } finally {
    closeSync(fd);
  }
  const run: ColumnRun = new Map();
  for (const [qid, q] of queries) run.set(qid, { docIds: q.docIds, scores: Float64Array.from(q.scores) });
  return run;
}
