/**
 * One typed option table per command: the yargs declarations (src/cli/yargs-options.ts) and the handler's
 * argument type (`ArgsOf`) both come from it, and `parseArgs` converts what yargs (or a test) hands over into
 * that type once, at the CLI boundary, so handlers never see `Record<string, any>`.
 *
 * Type-only imports here: the table modules (src/cli/options/) stay free of yargs and of every library module
 * a handler needs, which is what keeps `mteb-ts --help` fast.
 */
import { MtebError } from '../core/errors.js';

interface OptionBase {
  describe?: string;
  alias?: string;
  /** Required: yargs says "Missing required argument"; a direct call without it is an E_USAGE error. */
  demandOption?: true;
  /** Named in the command string (`report <results..>`) instead of a --flag. */
  positional?: true;
}

export interface StringOption extends OptionBase {
  type: 'string';
  default?: string;
  choices?: readonly string[];
  /** Greedy list (`-t a b c`): the value is a string[]. Not for commands with positionals after options. */
  array?: true;
  /** The flag may be given several times (`--prefer a --prefer b`); the value is a string[]. */
  repeatable?: true;
}

export interface NumberOption extends OptionBase {
  type: 'number';
  default?: number;
  integer?: true;
  /** Smallest accepted value (with `integer`: 1 = a positive integer). */
  min?: number;
}

export interface BooleanOption extends OptionBase {
  type: 'boolean';
  default?: boolean;
}

export type OptionSpec = StringOption | NumberOption | BooleanOption;
export type OptionTable = Readonly<Record<string, OptionSpec>>;

/** `cache-dir` -> `cacheDir`, as the handler reads it. */
export type CamelCase<S extends string> = S extends `${infer H}-${infer T}` ? `${H}${Capitalize<CamelCase<T>>}` : S;

type ValueOf<O> = O extends { type: 'string'; array: true } | { type: 'string'; repeatable: true }
  ? string[]
  : O extends { type: 'string'; choices: readonly (infer C)[] }
    ? C
    : O extends { type: 'string' }
      ? string
      : O extends { type: 'number' }
        ? number
        : boolean;

/** Always present after parsing: a default, a required option, or a boolean (absent = false). */
type Present<O> = O extends { default: unknown } | { demandOption: true } | { type: 'boolean' } ? true : false;

type Simplify<T> = { [K in keyof T]: T[K] } & {};

/** The handler's argument type: camelCase keys, choices as literal unions, lists as string[]. */
export type ArgsOf<T extends OptionTable> = Simplify<
  { -readonly [K in keyof T as Present<T[K]> extends true ? CamelCase<K & string> : never]: ValueOf<T[K]> } & {
    -readonly [K in keyof T as Present<T[K]> extends true ? never : CamelCase<K & string>]?: ValueOf<T[K]>;
  }
>;

/** What arrives from outside, keyed as on the command line: loosely typed, checked by `parseArgs`. */
export type InputOf<T extends OptionTable> = {
  [K in keyof T]?: T[K] extends { type: 'string' } ? string | string[] : T[K] extends { type: 'number' } ? number : boolean;
};

export const camelCase = (name: string): string => name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());

const usage = (field: string, message: string) => new MtebError('E_USAGE', message, { field });

/** How a flag is written in a message: `--cache-dir`, or the bare name of a positional. */
const flag = (name: string, o: OptionSpec) => (o.positional ? name : `--${name}`);

/**
 * `raw` (yargs' parsed arguments, or an object a test builds) as the handler's typed arguments: defaults
 * filled, required ones present, strings where strings belong, numbers finite and within their bounds,
 * choices among their choices, repeatable flags as lists. Any violation is one E_USAGE error naming the flag.
 */
export function parseArgs<T extends OptionTable>(table: T, raw: InputOf<T> | Readonly<Record<string, unknown>>): ArgsOf<T> {
  const src = raw as Readonly<Record<string, unknown>>;
  const out: Record<string, unknown> = {};
  for (const [name, o] of Object.entries(table)) {
    // yargs hands over both spellings; an object built by hand may use either.
    let v = src[name] !== undefined ? src[name] : src[camelCase(name)];
    if (v === undefined || v === null) v = o.default;
    if (v === undefined) {
      if (o.demandOption) throw usage(name, `${flag(name, o)} is required`);
      if (o.type === 'boolean') out[camelCase(name)] = false;
      continue;
    }
    out[camelCase(name)] = convert(name, o, v);
  }
  return out as ArgsOf<T>;
}

function convert(name: string, o: OptionSpec, v: unknown): unknown {
  const f = flag(name, o);
  if (o.type === 'boolean') {
    if (typeof v !== 'boolean') throw usage(name, `${f} is a switch (true or false), got ${JSON.stringify(v)}`);
    return v;
  }
  if (o.type === 'number') {
    // yargs turns `--limit ten` into NaN; the flag is named here instead of deep inside the run.
    if (Array.isArray(v)) throw usage(name, `${f} was given ${v.length} times; give it once`);
    if (typeof v !== 'number' || !Number.isFinite(v)) throw usage(name, `${f} must be a number, got ${typeof v === 'number' ? v : JSON.stringify(v)}`);
    if (o.integer && !Number.isInteger(v)) throw usage(name, `${f} must be ${numberKind(o)}, got ${v}`);
    if (o.min !== undefined && v < o.min) throw usage(name, `${f} must be ${numberKind(o)}, got ${v}`);
    return v;
  }
  const values = Array.isArray(v) ? v : [v];
  for (const s of values) if (typeof s !== 'string' && typeof s !== 'number') throw usage(name, `${f} must be text, got ${JSON.stringify(s)}`);
  // yargs parses `--model-revision 1234` as the string it is (type string), but a hand-built object may not.
  const strings = values.map(String);
  if (o.choices) {
    const bad = strings.find((s) => !o.choices!.includes(s));
    if (bad !== undefined) throw usage(name, `${f} must be one of ${o.choices.join(', ')}; got "${bad}"`);
  }
  if (o.array || o.repeatable) return strings;
  if (strings.length !== 1) throw usage(name, `${f} was given ${strings.length} times; give it once`);
  return strings[0];
}

function numberKind(o: NumberOption): string {
  if (o.integer && o.min === 1) return 'a positive integer';
  if (o.integer) return o.min === undefined ? 'an integer' : `an integer >= ${o.min}`;
  return `a number >= ${o.min}`;
}
