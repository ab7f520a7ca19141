/**
 * A small YAML writer for the manifests `plan` emits: mappings, sequences, strings, numbers and booleans,
 * in the order given (no anchors, no flow style). Strings are double-quoted (JSON escapes are valid YAML) unless
 * they are plain words that YAML reads back as the same string, so the output is stable and reads naturally.
 */
export type Yaml = string | number | boolean | null | readonly Yaml[] | { readonly [k: string]: Yaml };

const PLAIN = /^[A-Za-z_/][A-Za-z0-9_./-]*$/;
const RESERVED = /^(true|false|yes|no|on|off|null|y|n|~)$/i;

function scalar(v: string | number | boolean | null): string {
  if (v === null) return 'null';
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return PLAIN.test(v) && !RESERVED.test(v) ? v : JSON.stringify(v);
}

const isScalar = (v: Yaml): v is string | number | boolean | null => v === null || typeof v !== 'object';

function lines(v: Yaml, indent: string): string[] {
  if (isScalar(v)) return [indent + scalar(v)];
  if (Array.isArray(v)) {
    if (!v.length) return [indent + '[]'];
    return (v as readonly Yaml[]).flatMap((item) => {
      if (isScalar(item)) return [`${indent}- ${scalar(item)}`];
      const inner = lines(item, indent + '  ');
      return [`${indent}- ${inner[0].slice(indent.length + 2)}`, ...inner.slice(1)];
    });
  }
  const entries = Object.entries(v as { readonly [k: string]: Yaml });
  if (!entries.length) return [indent + '{}'];
  return entries.flatMap(([k, val]) => {
    const key = `${indent}${scalar(k)}:`;
    if (isScalar(val)) return [`${key} ${scalar(val)}`];
    if (Array.isArray(val) && !val.length) return [`${key} []`];
    if (!Array.isArray(val) && !Object.keys(val).length) return [`${key} {}`];
    return [key, ...lines(val, indent + '  ')];
  });
}

/** One YAML document. */
export const toYaml = (v: Yaml): string => lines(v, '').join('\n') + '\n';
