/**
 * `yaml.dump(value)` as PyYAML 6 writes it with its defaults (what mteb's create_meta calls): block style,
 * keys sorted, sequences inside mappings not indented, indent 2, lines folded at spaces past column 80,
 * non-ASCII text double-quoted with escapes (allow_unicode=False). Covers the values a model-index holds
 * (mappings, sequences, str, int, float, bool, None); the rules are PyYAML's emitter.py (analyze_scalar,
 * choose_scalar_style, write_plain, write_single_quoted, write_double_quoted) and resolver.py.
 */
import { PyDate, PyInt, pyFloatRepr, type PyValue } from './python-values.js';

const BEST_WIDTH = 80;

/** Plain scalars PyYAML's implicit resolvers would read back as something other than a string. */
const IMPLICIT = [
  /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/,
  /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9_]+(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/,
  /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/,
  /^(?:<<)$/,
  /^(?:~|null|Null|NULL|)$/,
  /^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$/,
  /^(?:=)$/,
];

const WS = '\0 \t\r\n\x85\u2028\u2029';
const BREAKS = '\n\x85\u2028\u2029';

/** PyYAML's analyze_scalar, reduced to the style it leads to in block context: plain, single or double quoted. */
function scalarStyle(s: string, simpleKey: boolean): 'plain' | 'single' | 'double' {
  if (s === '') return 'single'; // '' resolves to null as a plain scalar
  let block = false;
  let lineBreaks = false;
  let special = false;
  let leadingSpace = false;
  let trailingSpace = false;
  let breakSpace = false;
  let spaceBreak = false;
  let leadingBreak = false;
  let trailingBreak = false;
  if (s.startsWith('---') || s.startsWith('...')) block = true;
  let precededByWs = true;
  let followedByWs = s.length === 1 || WS.includes(s[1]);
  let prevSpace = false;
  let prevBreak = false;
  const chars = [...s];
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i];
    if (i === 0) {
      if ('#,[]{}&*!|>\'"%@`'.includes(ch)) block = true;
      if ('?:'.includes(ch) && followedByWs) block = true;
      if (ch === '-' && followedByWs) block = true;
    } else {
      if (ch === ':' && followedByWs) block = true;
      if (ch === '#' && precededByWs) block = true;
    }
    if (BREAKS.includes(ch)) lineBreaks = true;
    const c = ch.codePointAt(0)!;
    if (!(ch === '\n' || (c >= 0x20 && c <= 0x7e))) special = true; // non-ASCII too: allow_unicode is False
    if (ch === ' ') {
      if (i === 0) leadingSpace = true;
      if (i === chars.length - 1) trailingSpace = true;
      if (prevBreak) breakSpace = true;
      prevSpace = true;
      prevBreak = false;
    } else if (BREAKS.includes(ch)) {
      if (i === 0) leadingBreak = true;
      if (i === chars.length - 1) trailingBreak = true;
      if (prevSpace) spaceBreak = true;
      prevSpace = false;
      prevBreak = true;
    } else {
      prevSpace = false;
      prevBreak = false;
    }
    precededByWs = WS.includes(ch);
    followedByWs = i + 2 >= chars.length || WS.includes(chars[i + 2]);
  }
  let plain = true;
  let single = true;
  if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) plain = false;
  if (breakSpace) plain = single = false;
  if (spaceBreak || special) plain = single = false;
  if (lineBreaks) plain = false;
  if (block) plain = false;
  const multiline = lineBreaks;
  if (plain && !IMPLICIT.some((r) => r.test(s)) && !(simpleKey && multiline)) return 'plain';
  if (single && !(simpleKey && multiline)) return 'single';
  return 'double';
}

const ESCAPES: Record<string, string> = {
  '\0': '0', '\x07': 'a', '\x08': 'b', '\x09': 't', '\x0A': 'n', '\x0B': 'v', '\x0C': 'f', '\x0D': 'r',
  '\x1B': 'e', '"': '"', '\\': '\\', '\x85': 'N', '\xA0': '_', '\u2028': 'L', '\u2029': 'P',
};

class Writer {
  out = '';
  column = 0;
  write(s: string): void {
    this.out += s;
    const nl = s.lastIndexOf('\n');
    this.column = nl < 0 ? this.column + s.length : s.length - nl - 1;
  }
  newline(indent: number): void {
    this.write('\n' + ' '.repeat(indent));
  }

  /** A scalar after `key:` / `- ` (a space first) or as a key; `indent` is where a folded line continues. */
  scalar(v: PyValue, indent: number, simpleKey: boolean, lead: string): void {
    if (v instanceof PyInt) return this.write(lead + String(v.value));
    if (v instanceof PyDate) return this.write(lead + v.text);
    if (typeof v === 'number') {
      const r = pyFloatRepr(v);
      // represent_float: '.nan', '.inf', and '.0' before an exponent that has no fraction (1e+16 -> 1.0e+16).
      const text = r === 'nan' ? '.nan' : r === 'inf' ? '.inf' : r === '-inf' ? '-.inf' : !r.includes('.') && r.includes('e') ? r.replace('e', '.0e') : r;
      return this.write(lead + text);
    }
    if (typeof v === 'boolean') return this.write(lead + (v ? 'true' : 'false'));
    if (v === null) return this.write(lead + 'null');
    const s = v as string;
    const style = scalarStyle(s, simpleKey);
    this.write(lead);
    if (style === 'plain') return this.plain(s, indent, !simpleKey);
    if (style === 'single') return this.singleQuoted(s, indent, !simpleKey);
    this.doubleQuoted(s);
  }

  /** write_plain: a single space past the width becomes a line break (runs of spaces are kept). */
  private plain(s: string, indent: number, split: boolean): void {
    const parts = s.split(/( +)/);
    for (const p of parts) {
      if (p === ' ' && split && this.column > BEST_WIDTH) this.newline(indent);
      else this.write(p);
    }
  }

  /**
   * write_single_quoted: quotes doubled; a single inner space past the width becomes a line break; a run of
   * line breaks is written once more than it holds (a lone one would fold into a space) and indented.
   */
  private singleQuoted(s: string, indent: number, split: boolean): void {
    this.write("'");
    const parts = s.split(/( +|[\n\x85\u2028\u2029]+)/);
    parts.forEach((p, i) => {
      const inner = i > 0 && i < parts.length - 1;
      if (p === ' ' && split && inner && this.column > BEST_WIDTH) this.newline(indent);
      else if (p && BREAKS.includes(p[0])) {
        this.write((p[0] === '\n' ? '\n' : '') + p);
        this.write(' '.repeat(indent));
      } else this.write(p.replace(/'/g, "''"));
    });
    this.write("'");
  }

  /** write_double_quoted without folding (values this long with non-ASCII text are not in a model-index). */
  private doubleQuoted(s: string): void {
    let out = '"';
    for (const ch of s) {
      const c = ch.codePointAt(0)!;
      if (ESCAPES[ch] !== undefined) out += '\\' + ESCAPES[ch];
      else if (c >= 0x20 && c <= 0x7e) out += ch;
      else if (c <= 0xff) out += '\\x' + c.toString(16).toUpperCase().padStart(2, '0');
      else if (c <= 0xffff) out += '\\u' + c.toString(16).toUpperCase().padStart(4, '0');
      else out += '\\U' + c.toString(16).toUpperCase().padStart(8, '0');
    }
    this.write(out + '"');
  }

  /** A node at `indent`; `inline`: the cursor already sits after `- ` on its first line. */
  node(v: PyValue, indent: number, inline: boolean): void {
    if (Array.isArray(v)) return this.sequence(v, indent, inline);
    if (isCollection(v) && !Array.isArray(v)) return this.mapping(v as { [key: string]: PyValue }, indent, inline);
    this.scalar(v, indent + 2, false, inline ? '' : ' ');
  }

  sequence(items: PyValue[], indent: number, inline: boolean): void {
    items.forEach((item, i) => {
      if (i > 0 || !inline) this.newline(indent);
      this.write('- ');
      if (isCollection(item) && !isEmpty(item)) this.node(item, indent + 2, true);
      else this.value(item, indent + 2, true);
    });
  }

  private mapping(obj: { [key: string]: PyValue }, indent: number, inline: boolean): void {
    const keys = Object.keys(obj).sort();
    keys.forEach((k, i) => {
      // A key with a line break would be a complex key (`? ...`); model-index keys never are.
      if (/[\n\x85\u2028\u2029]/.test(k)) throw new Error(`pyyamlDump: a key with a line break is not supported (${JSON.stringify(k)})`);
      if (i > 0 || !inline) this.newline(indent);
      this.scalar(k, indent, true, '');
      this.write(':');
      const v = obj[k];
      if (Array.isArray(v) && v.length) this.sequence(v, indent, false); // indentless in a mapping
      else if (isCollection(v) && !isEmpty(v)) this.mapping(v as { [key: string]: PyValue }, indent + 2, false);
      else this.value(v, indent + 2, false);
    });
  }

  /** A scalar or an empty collection (`[]`, `{}`: flow style). */
  private value(v: PyValue, contIndent: number, inline: boolean): void {
    const lead = inline ? '' : ' ';
    if (Array.isArray(v)) return this.write(lead + '[]');
    if (isCollection(v)) return this.write(lead + '{}');
    this.scalar(v, contIndent, false, lead);
  }
}

const isCollection = (v: PyValue): boolean => Array.isArray(v) || (v !== null && typeof v === 'object' && !(v instanceof PyInt) && !(v instanceof PyDate));
const isEmpty = (v: PyValue): boolean => (Array.isArray(v) ? v.length === 0 : Object.keys(v as object).length === 0);

/** The text `yaml.dump(value)` returns (a trailing newline included). */
export function pyyamlDump(value: PyValue): string {
  const w = new Writer();
  if (isCollection(value) && !isEmpty(value)) {
    // The root node starts at column 0 with nothing before it.
    if (Array.isArray(value)) w.sequence(value, 0, true);
    else w.node(value, 0, true);
    return w.out + '\n';
  }
  // A root scalar ends with PyYAML's document-end marker.
  w.scalar(value as PyValue, 2, false, '');
  return w.out + '\n...\n';
}
