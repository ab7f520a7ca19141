/**
 * The published Kubernetes batch/v1 Job JSON schema (fixtures/k8s/job-batch-v1.json, committed verbatim; where it
 * comes from: fixtures/k8s/README.md), compiled by Ajv, a full JSON Schema validator.
 *
 * Strict, as kubectl and kubeconform `-strict` validate: the published file is the non-strict variant, so before
 * compiling, every object schema with `properties` and no `additionalProperties` gets `additionalProperties: false`
 * (openapi2jsonschema's `--strict` rule, the one that makes yannh's `*-standalone-strict` files, applied in memory:
 * like that rule it descends into objects, not lists). An unknown (e.g. misspelt) field is then an error, which is
 * what a manifest check is for: the API server would drop it silently.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import type { ErrorObject } from 'ajv';
import { REPO_ROOT } from '../../../src/registry/index.js';

export const JOB_SCHEMA_PATH = path.join(REPO_ROOT, 'fixtures', 'k8s', 'job-batch-v1.json');
/** The published file's sha256 (fixtures/k8s/README.md): the committed copy is verbatim. */
export const JOB_SCHEMA_SHA256 = 'f0c72b55ad2d26d1d2c45f2b7b8c210351d4c12f9c9298c1e660bf6f678b3a09';

export const jobSchemaBytes = (): Buffer => readFileSync(JOB_SCHEMA_PATH);

type Json = unknown;

/** openapi2jsonschema's `additional_properties` (util.py), on a copy. */
export function strict(schema: Json): Json {
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) return schema;
  const out: Record<string, Json> = {};
  for (const [k, v] of Object.entries(schema as Record<string, Json>)) {
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      const o = { ...(v as Record<string, Json>) };
      if ('properties' in o && !('additionalProperties' in o)) o.additionalProperties = false;
      out[k] = strict(o);
    } else out[k] = v;
  }
  return out;
}

// Ajv is CommonJS; its default export is the class.
type AjvCtor = new (opts: Record<string, unknown>) => {
  addFormat(name: string, f: { type: 'number'; validate: (x: number) => boolean } | { type: 'string'; validate: (x: string) => boolean }): void;
  addKeyword(def: { keyword: string }): void;
  compile(schema: object): ((v: unknown) => boolean) & { errors?: ErrorObject[] | null };
};
const Ajv = createRequire(import.meta.url)('ajv') as AjvCtor & { default: AjvCtor };

/** A validator of batch/v1 Job objects: returns one line per violation (`<path>: <message>`), [] when valid. */
export function jobValidator(): (job: unknown) => string[] {
  const schema = strict(JSON.parse(jobSchemaBytes().toString('utf8'))) as Record<string, Json>;
  // The file's `$schema` is the draft-agnostic "http://json-schema.org/schema#" (no meta-schema Ajv ships): the
  // keywords it uses are draft-07's, so it is compiled as draft 07 (Ajv's default) without that line.
  delete schema.$schema;
  const ajv = new (Ajv.default ?? Ajv)({ allErrors: true, strict: true, strictTypes: false, allowUnionTypes: true });
  // The three formats the file uses (Ajv's strict mode refuses an unknown one): the OpenAPI integer widths,
  // checked for range, and RFC 3339 date-time.
  ajv.addFormat('int32', { type: 'number', validate: (x: number) => Number.isInteger(x) && x >= -(2 ** 31) && x < 2 ** 31 });
  ajv.addFormat('int64', { type: 'number', validate: (x: number) => Number.isSafeInteger(x) });
  ajv.addFormat('date-time', { type: 'string', validate: (x: string) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/i.test(x) });
  // Kubernetes' annotations for clients that merge lists (server-side apply): no constraint on a value.
  for (const k of ['x-kubernetes-group-version-kind', 'x-kubernetes-list-map-keys', 'x-kubernetes-list-type', 'x-kubernetes-map-type', 'x-kubernetes-patch-merge-key', 'x-kubernetes-patch-strategy', 'x-kubernetes-unions'])
    ajv.addKeyword({ keyword: k });
  const validate = ajv.compile(schema);
  return (job) => {
    if (validate(job)) return [];
    return (validate.errors ?? []).map((e) => {
      const extra = e.keyword === 'additionalProperties' ? ` "${(e.params as { additionalProperty: string }).additionalProperty}"` : '';
      return `${e.instancePath || '/'}: ${e.message}${extra}`;
    });
  };
}
