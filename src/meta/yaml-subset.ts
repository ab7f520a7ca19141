/**
 * A reader for the block-style YAML that model-card front matter is written in (what PyYAML's yaml.dump and the
 * Hugging Face hub write): mappings, sequences (also unindented under a key), plain / 'single' / "double" quoted
 * scalars on one line, `[]`, `{}` and one-line flow lists of scalars, comments. Scalars resolve as PyYAML's
 * safe_load resolves them (null, bool incl. yes/no/on/off, decimal int, float, date). Anything else (block
 * scalars `|` `>`, anchors, tags, multi-line scalars, flow mappings, complex keys) is refused with its line, not
 * guessed: `create-meta --from-existing` then stops instead of rewriting a card it did not understand.
 */
import { MtebError } from '../core/errors.js';
import { PyDate, PyInt, type PyValue } from './python-values.js';

interface Line {
  indent: number;
  text: string;
  no: number;
}

const NULL = /^(?:~|null|Null|NULL|)$/;
const TRUE = /^(?:yes|Yes|YES|true|True|TRUE|on|On|ON)$/;
const FALSE = /^(?:no|No|NO|false|False|FALSE|off|Off|OFF)$/;
const INT = /^[-+]?(?:0|[1-9][0-9_]*)$/;
const OTHER_INT = /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/;
const FLOAT = /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9_]+(?:[eE][-+][0-9]+)?)$/;
const SPECIAL_FLOAT = /^(?:[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;
const SEXAGESIMAL_FLOAT = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*$/;
const DATE = /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/;
const DATETIME = /^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt]|[ \t]+)/;

export function loadYamlSubset(text: string, file: string, firstLine = 1): PyValue {
  const fail = (no: number, why: string) => new MtebError('E_PARSE', `front matter: ${why} (this reader takes the block YAML model cards use)`, { file, line: no });
  const lines: Line[] = [];
  text.split('\n').forEach((raw, i) => {
    const no = firstLine + i;
    if (/^\s*\t/.test(raw)) throw fail(no, 'a tab in the indentation');
    const body = stripComment(raw).trimEnd();
    if (body.trim() === '') return;
    if (body.trim() === '---' || body.trim() === '...') throw fail(no, 'a second document');
    lines.push({ indent: body.length - body.trimStart().length, text: body.trimStart(), no });
  });
  if (!lines.length) return null;
  let i = 0;

  const scalar = (s: string, no: number): PyValue => {
    if (s.startsWith("'")) {
      if (!/^'(?:[^']|'')*'$/.test(s)) throw fail(no, 'a single-quoted scalar that does not end on its line');
      return s.slice(1, -1).replace(/''/g, "'");
    }
    if (s.startsWith('"')) {
      if (!/^"(?:[^"\\]|\\.)*"$/.test(s)) throw fail(no, 'a double-quoted scalar that does not end on its line');
      return unescapeDouble(s.slice(1, -1), () => fail(no, 'an escape this reader does not know'));
    }
    if (s === '[]') return [];
    if (s === '{}') return {};
    if (s.startsWith('[') && s.endsWith(']')) {
      const items = s.slice(1, -1).split(',').map((x) => x.trim());
      if (items.some((x) => x === '' || /^[[\]{}]/.test(x) || /[[\]{}]/.test(x))) throw fail(no, 'a flow list this reader does not take');
      return items.map((x) => scalar(x, no));
    }
    if (/^[|>&*!%@`{]/.test(s) || s.startsWith('? ')) throw fail(no, `"${s.slice(0, 20)}" (block scalar, anchor, alias, tag or flow mapping)`);
    if (NULL.test(s)) return null;
    if (TRUE.test(s)) return true;
    if (FALSE.test(s)) return false;
    if (INT.test(s)) return new PyInt(Number(s.replace(/_/g, '')));
    if (OTHER_INT.test(s) || SEXAGESIMAL_FLOAT.test(s) || DATETIME.test(s)) throw fail(no, `"${s}" (a number or time form this reader does not take)`);
    if (FLOAT.test(s)) return Number(s.replace(/_/g, ''));
    if (SPECIAL_FLOAT.test(s)) return s.includes('nan') || s.includes('NaN') || s.includes('NAN') ? NaN : s.startsWith('-') ? -Infinity : Infinity;
    if (DATE.test(s)) return new PyDate(s);
    return s;
  };

  /** `key: value` split, the key unquoted; null when the line is not a mapping entry. */
  const entry = (t: string): [string, string] | null => {
    let key: string;
    let rest: string;
    if (t.startsWith("'") || t.startsWith('"')) {
      const m = t.startsWith("'") ? /^'((?:[^']|'')*)'\s*:(?:\s+|$)/.exec(t) : /^"((?:[^"\\]|\\.)*)"\s*:(?:\s+|$)/.exec(t);
      if (!m) return null;
      key = t.startsWith("'") ? m[1].replace(/''/g, "'") : m[1];
      rest = t.slice(m[0].length);
    } else {
      const m = /^([^#:][^:]*?|[^#:]*?:[^\s][^:]*?)\s*:(?:\s+|$)/.exec(t);
      if (!m || t.startsWith('- ') || t === '-') return null;
      key = m[1];
      rest = t.slice(m[0].length);
    }
    return [key, rest.trim()];
  };

  const node = (indent: number): PyValue => {
    const l = lines[i];
    if (l.text === '-' || l.text.startsWith('- ')) return sequence(l.indent);
    if (entry(l.text)) return mapping(l.indent);
    if (l.indent < indent) return null;
    i++;
    const v = scalar(l.text, l.no);
    if (i < lines.length && lines[i].indent > l.indent) throw fail(lines[i].no, 'a scalar continued on the next line');
    return v;
  };

  const sequence = (indent: number): PyValue[] => {
    const out: PyValue[] = [];
    while (i < lines.length && lines[i].indent === indent && (lines[i].text === '-' || lines[i].text.startsWith('- '))) {
      const l = lines[i];
      const rest = l.text === '-' ? '' : l.text.slice(2);
      if (rest.trim() === '') {
        i++;
        out.push(i < lines.length && lines[i].indent > indent ? node(indent + 1) : null);
        continue;
      }
      // The item's own content as a line of its own, at the column it starts at.
      const pad = rest.length - rest.trimStart().length;
      lines[i] = { indent: indent + 2 + pad, text: rest.trimStart(), no: l.no };
      out.push(node(indent + 2 + pad));
    }
    return out;
  };

  const mapping = (indent: number): { [key: string]: PyValue } => {
    const out: { [key: string]: PyValue } = {};
    while (i < lines.length && lines[i].indent === indent) {
      const l = lines[i];
      const kv = entry(l.text);
      if (!kv) throw fail(l.no, `expected "key: value", got "${l.text.slice(0, 30)}"`);
      const [key, rest] = kv;
      if (key in out) throw fail(l.no, `the key "${key}" twice`);
      i++;
      if (rest !== '') {
        out[key] = scalar(rest, l.no);
        if (i < lines.length && lines[i].indent > indent) throw fail(lines[i].no, 'a scalar continued on the next line');
      } else if (i < lines.length && (lines[i].indent > indent || (lines[i].indent === indent && (lines[i].text === '-' || lines[i].text.startsWith('- '))))) {
        out[key] = node(indent + 1);
      } else out[key] = null;
    }
    return out;
  };

  const value = node(0);
  if (i < lines.length) throw fail(lines[i].no, 'content at an indentation that closes nothing');
  return value;
}

/** A comment starts at `#` after whitespace, outside quotes. */
function stripComment(line: string): string {
  let quote: string | null = null;
  for (let k = 0; k < line.length; k++) {
    const c = line[k];
    if (quote) {
      if (c === '\\' && quote === '"') k++;
      else if (c === quote) quote = null;
    } else if (c === "'" || c === '"') {
      if (k === 0 || /[\s:[,-]/.test(line[k - 1])) quote = c;
    } else if (c === '#' && (k === 0 || /\s/.test(line[k - 1]))) return line.slice(0, k);
  }
  return line;
}

const DOUBLE_ESCAPES: Record<string, string> = {
  '0': '\0', a: '\x07', b: '\b', t: '\t', '\t': '\t', n: '\n', v: '\v', f: '\f', r: '\r', e: '\x1b', ' ': ' ', '"': '"', '/': '/', '\\': '\\',
  N: '\x85', _: '\xa0', L: '\u2028', P: '\u2029',
};

function unescapeDouble(s: string, fail: () => Error): string {
  return s.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)/g, (_, e: string) => {
    if (e.length > 1) return String.fromCodePoint(parseInt(e.slice(1), 16));
    const r = DOUBLE_ESCAPES[e];
    if (r === undefined) throw fail();
    return r;
  });
}
