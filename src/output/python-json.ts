/**
 * JSON as Python's `json.dump(..., indent=2)` writes it, which is what mteb's result files are: non-finite
 * floats become the bare tokens NaN / Infinity / -Infinity instead of JSON.stringify's `null`, so a NaN score
 * (constant predictions, every summarization document skipped) stays a NaN for every reader, ours included.
 */
const TOKEN = '\u0000pyfloat:';

/** A JSON string literal, or a bare non-finite token outside of strings (both readers scan with it). */
export const PY_NONFINITE_TOKENS = /"(?:[^"\\]|\\.)*"|-?Infinity|NaN/g;

export function pythonJson(value: unknown): string {
  const text = JSON.stringify(
    value,
    (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? `${TOKEN}${Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity'}` : v),
    2,
  );
  return text.replace(/"\\u0000pyfloat:(NaN|Infinity|-Infinity)"/g, '$1') + '\n';
}

/** Parses what `pythonJson` (or Python's json) wrote, turning the bare NaN / Infinity tokens back into numbers. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- same contract as JSON.parse
export function parsePythonJson(text: string): any {
  const marked = text.replace(PY_NONFINITE_TOKENS, (m) => (m.startsWith('"') ? m : `"${TOKEN}${m}"`).replace('\u0000', '\\u0000'));
  return JSON.parse(marked, (_k, v) => {
    if (typeof v !== 'string' || !v.startsWith(TOKEN)) return v;
    const t = v.slice(TOKEN.length);
    return t === 'NaN' ? NaN : t === 'Infinity' ? Infinity : -Infinity;
  });
}
