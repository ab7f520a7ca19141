/**
 * The JSON Schema subset the committed Kubernetes schema (batch-v1-job.schema.json) uses: $ref into
 * `definitions`, type (one or a list, "null" included), properties, required, additionalProperties (false or a
 * schema), items, oneOf. Returns one line per violation, with its path; [] when the value conforms.
 */
export type Schema = {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: false | Schema;
  items?: Schema;
  oneOf?: Schema[];
  definitions?: Record<string, Schema>;
};

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

export function checkSchema(value: unknown, schema: Schema, root: Schema = schema, at = '$'): string[] {
  if (schema.$ref) {
    const name = /^#\/definitions\/(.+)$/.exec(schema.$ref)?.[1];
    const target = name ? root.definitions?.[name] : undefined;
    if (!target) return [`${at}: unresolved $ref ${schema.$ref}`];
    return checkSchema(value, target, root, at);
  }
  if (schema.oneOf) {
    const ok = schema.oneOf.filter((s) => checkSchema(value, s, root, at).length === 0).length;
    return ok === 1 ? [] : [`${at}: matches ${ok} of the ${schema.oneOf.length} alternatives, not exactly one`];
  }
  const errors: string[] = [];
  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    const t = typeOf(value);
    if (!types.includes(t) && !(t === 'integer' && types.includes('number'))) return [`${at}: ${JSON.stringify(value)} is ${t}, expected ${types.join(' or ')}`];
  }
  if (typeOf(value) === 'object') {
    const o = value as Record<string, unknown>;
    for (const r of schema.required ?? []) if (!(r in o)) errors.push(`${at}: required field "${r}" missing`);
    for (const [k, v] of Object.entries(o)) {
      const p = schema.properties?.[k];
      if (p) errors.push(...checkSchema(v, p, root, `${at}.${k}`));
      else if (schema.additionalProperties === false) errors.push(`${at}: unknown field "${k}"`);
      else if (schema.additionalProperties) errors.push(...checkSchema(v, schema.additionalProperties, root, `${at}.${k}`));
    }
  }
  if (Array.isArray(value) && schema.items) value.forEach((v, i) => errors.push(...checkSchema(v, schema.items!, root, `${at}[${i}]`)));
  return errors;
}
