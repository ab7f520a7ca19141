import { readFileSync } from 'node:fs';
import { MtebError } from '../core/errors.js';

/** Reads and parses a JSON file; a syntax error becomes E_PARSE with the line it is on. */
export function readJsonFile(file: string): { value: unknown; text: string } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new MtebError('E_FILE_MISSING', `cannot read file: ${(e as Error).message}`, { file }, { cause: e });
  }
  try {
    return { value: JSON.parse(text), text };
  } catch (e) {
    const msg = (e as Error).message;
    const m = /position (\d+)/.exec(msg);
    const pos = m ? Number(m[1]) : jsonErrorOffset(text);
    const line = pos === undefined ? undefined : lineAt(text, pos);
    throw new MtebError('E_PARSE', `invalid JSON: ${msg}`, { file, line }, { cause: e });
  }
}

export function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/**
 * Best-effort line of a JSON path like `$.dataset.revision` in pretty-printed JSON: finds each key in turn after
 * the previous one. Used only to point the user at the right line; undefined when the key is not in the text.
 */
export function lineOfPath(text: string, path: string): number | undefined {
  const keys = path.replace(/^\$\.?/, '').split('.').filter(Boolean);
  let from = 0;
  for (const k of keys) {
    const re = new RegExp(`"${k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"\\s*:`, 'g');
    re.lastIndex = from;
    const m = re.exec(text);
    if (!m) return keys.length && from > 0 ? lineAt(text, from) : undefined;
    from = m.index;
  }
  return keys.length ? lineAt(text, from) : undefined;
}

/**
 * Offset of the first syntax error in `text` (undefined if it is valid), for the Node versions whose JSON.parse
 * message carries no position. A strict RFC 8259 scanner; values are not built.
 */
export function jsonErrorOffset(text: string): number | undefined {
  let i = 0;
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i])) i++;
  };
  class Stop {
    constructor(readonly at: number) {}
  }
  const fail = (): never => {
    throw new Stop(i);
  };
  const lit = (w: string) => (text.startsWith(w, i) ? (i += w.length) : fail());
  const str = () => {
    i++;
    while (i < text.length && text[i] !== '"') {
      if (text.charCodeAt(i) < 0x20) fail();
      if (text[i] === '\\') {
        i++;
        if (text[i] === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) fail();
          i += 4;
        } else if (!'"\\/bfnrt'.includes(text[i] ?? 'x')) fail();
      }
      i++;
    }
    if (i >= text.length) fail();
    i++;
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') return void i++;
      for (;;) {
        ws();
        if (text[i] !== '"') fail();
        str();
        ws();
        if (text[i] !== ':') fail();
        i++;
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === '}') return void i++;
        else fail();
      }
    } else if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') return void i++;
      for (;;) {
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === ']') return void i++;
        else fail();
      }
    } else if (c === '"') str();
    else if (c === 't') lit('true');
    else if (c === 'f') lit('false');
    else if (c === 'n') lit('null');
    else {
      const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
      if (!m) fail();
      i += m![0].length;
    }
  };
  try {
    value();
    ws();
    if (i < text.length) fail();
    return undefined;
  } catch (e) {
    if (e instanceof Stop) return e.at;
    throw e;
  }
}
