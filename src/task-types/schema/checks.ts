import type { Check } from './kit.js';

/**
 * The value checks task-file fields are built from. Each returns null for a valid value or what was expected,
 * which the validator turns into `expected <that>, got <value>` at the field's JSON path.
 */
export const str: Check = (v) => (typeof v === 'string' && v.length > 0 ? null : 'a non-empty string');
/** Result files are named `<name>.json`: a name must be a plain file name, never a path out of the output folder. */
export const fileName: Check = (v) =>
  typeof v === 'string' && v.length > 0 && !/[\\/]/.test(v) && v !== '.' && v !== '..' && !v.startsWith('.')
    ? null
    : 'a non-empty name without "/", "\\" or a leading "." (it names the result file)';
export const strOrEmpty: Check = (v) => (typeof v === 'string' ? null : 'a string');
export const bool: Check = (v) => (typeof v === 'boolean' ? null : 'true or false');
export const posInt: Check = (v) => (Number.isInteger(v) && (v as number) > 0 ? null : 'a positive integer');
export const num: Check = (v) => (typeof v === 'number' && Number.isFinite(v) ? null : 'a finite number');
export const nullOr =
  (c: Check): Check =>
  (v) =>
    v === null ? null : (c(v) ?? null) === null ? null : `null or ${c(v)}`;
export const oneOf =
  (...vals: readonly string[]): Check =>
  (v) =>
    typeof v === 'string' && vals.includes(v) ? null : `one of ${vals.map((x) => JSON.stringify(x)).join(', ')}`;
export const fraction: Check = (v) => (typeof v === 'number' && v > 0 && v <= 1 ? null : 'a number in (0, 1]');

export function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function strList(v: unknown): string | null {
  if (!Array.isArray(v) || v.length === 0) return 'a non-empty array of strings';
  const bad = v.findIndex((x) => typeof x !== 'string' || x.length === 0);
  return bad >= 0 ? `a non-empty array of strings (element ${bad} is ${JSON.stringify(v[bad])})` : null;
}

