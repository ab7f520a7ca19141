/**
 * The Python values mteb's create_meta works on: an `int` and a `float` are different types there (an int
 * score times 100 stays an int, `100`; a float gives `100.0`), so result files are read here keeping which
 * numbers were written without a fraction or exponent. Everything else is what JSON.parse gives.
 */
import { parsePythonJson } from '../output/python-json.js';

/** A JSON number written as an integer (`1`, not `1.0`): Python's json.load makes it an int. */
export class PyInt {
  constructor(readonly value: number) {}
}

/** A YAML date (`2024-01-01`): yaml.safe_load makes it a datetime.date, which yaml.dump writes back unquoted. */
export class PyDate {
  constructor(readonly text: string) {}
}

export type PyValue = string | number | boolean | null | PyInt | PyDate | PyValue[] | { [key: string]: PyValue };

const INT_MARK = '\u0000pyint:';
/** A string literal (kept), or a number token outside strings. */
const TOKENS = /"(?:[^"\\]|\\.)*"|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?/g;

/** JSON text as Python's json.load sees it: NaN/Infinity tokens as floats, integer tokens as PyInt. */
export function parseJsonKeepingInts(text: string): PyValue {
  const marked = text.replace(TOKENS, (m) => (m.startsWith('"') || /[.eE]/.test(m) ? m : `"\\u0000pyint:${m}"`));
  return revive(parsePythonJson(marked));
}

function revive(v: unknown): PyValue {
  if (typeof v === 'string') return v.startsWith(INT_MARK) ? new PyInt(Number(v.slice(INT_MARK.length))) : v;
  if (Array.isArray(v)) return v.map(revive);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, revive(x)]));
  return v as PyValue;
}

/**
 * Python's `repr(float)`: the shortest digits that round-trip (as JS), positional for decimal exponents in
 * [-4, 16) with at least one fractional digit (`100.0`), else `d.ddde+XX` (two exponent digits at least).
 */
export function pyFloatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const [mant, expText] = Math.abs(x).toExponential().split('e');
  const exp = Number(expText);
  const digits = mant.replace('.', '');
  const sign = x < 0 ? '-' : '';
  if (exp >= -4 && exp < 16) {
    let s: string;
    if (exp < 0) s = '0.' + '0'.repeat(-exp - 1) + digits;
    else if (digits.length > exp + 1) s = digits.slice(0, exp + 1) + '.' + digits.slice(exp + 1);
    else s = digits + '0'.repeat(exp + 1 - digits.length) + '.0';
    return sign + s;
  }
  const m = digits.length > 1 ? digits[0] + '.' + digits.slice(1) : digits;
  return `${sign}${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
}
