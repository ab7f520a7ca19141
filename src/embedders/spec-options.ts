import { MtebError } from '../core/errors.js';
import { redact } from '../core/redact.js';

/**
 * The one rule for `?key=value` options of every model spec kind (openai:, nvembed:, hash:, random:,
 * precomputed:): an option not in `known` or given twice is an E_MODEL_SPEC error that lists the known ones,
 * never silently ignored (a misspelt `?retriez=0` must not run with the default).
 */
export function checkSpecOptions(params: URLSearchParams, known: readonly string[], kind: string, spec: string): void {
  const seen = new Set<string>();
  for (const k of params.keys()) {
    if (!known.includes(k)) {
      const list = known.length ? `known options: ${known.join(', ')}` : `${kind}: takes no options`;
      throw new MtebError('E_MODEL_SPEC', `unknown option "${k}" in model spec "${redact(spec)}" (${list})`, { field: k });
    }
    if (seen.has(k)) throw new MtebError('E_MODEL_SPEC', `option "${k}" is given twice in model spec "${redact(spec)}"`, { field: k });
    seen.add(k);
  }
}

/** `value` must be one of `allowed` (when present). */
export function enumOption<T extends string>(params: URLSearchParams, key: string, allowed: readonly T[], spec: string): T | undefined {
  const v = params.get(key);
  if (v === null) return undefined;
  if (!(allowed as readonly string[]).includes(v))
    throw new MtebError('E_MODEL_SPEC', `option ${key}=${v} must be one of ${allowed.join(', ')} (model spec "${redact(spec)}")`, { field: key });
  return v as T;
}

/** Splits `body?options` at the first `?`. */
export function splitOptions(body: string): { body: string; params: URLSearchParams } {
  const q = body.indexOf('?');
  return q < 0 ? { body, params: new URLSearchParams() } : { body: body.slice(0, q), params: new URLSearchParams(body.slice(q + 1)) };
}
