import { MtebError } from '../core/errors.js';
import { isObj } from './schema/checks.js';
import type { Fields, SchemaIssue } from './schema/kit.js';
import { COMMON_SCHEMA, TASK_TYPES, TYPE_SCHEMAS, type TaskSpec, type TaskType } from './spec.js';

/**
 * Validation of the task-file schema (docs/tasks.md) from the common schema plus the schema of the task's type
 * (src/task-types/<type>/schema.ts), so every error names the file and the JSON path of the offending value and
 * says what was expected. Unknown keys are rejected, including another type's fields, because a misspelt protocol
 * parameter (`samples_per_lable`) would otherwise silently fall back to a default and change scores.
 */
export type { SchemaIssue };

const IGNORED = (k: string) => k === 'id' || k === 'source_dir' || k.startsWith('$') || k.startsWith('_'); // ids/comments

function typeOf(obj: Record<string, unknown>): TaskType | undefined {
  return (TASK_TYPES as readonly unknown[]).includes(obj.type) ? (obj.type as TaskType) : undefined;
}

/** All problems of one task object (empty = valid). `path` is a JSON path like `$.dataset.revision`. */
export function taskSchemaIssues(obj: unknown): SchemaIssue[] {
  if (!isObj(obj)) return [{ path: '$', message: `expected a JSON object, got ${JSON.stringify(obj) ?? 'undefined'}` }];
  const issues: SchemaIssue[] = [];
  const type = typeOf(obj);
  const own: Fields = type ? TYPE_SCHEMAS[type].fields : {};
  const fields: Fields = { ...COMMON_SCHEMA.fields, ...own };
  for (const k of ['name', 'type', ...COMMON_SCHEMA.required.filter((r) => r !== 'name')])
    if (!(k in obj)) issues.push({ path: `$.${k}`, message: 'required field is missing' });
  // Every type's fields, for the "allowed" list of an unknown key and to say which type a field belongs to.
  const allowed = ['type', ...Object.keys(fields)];
  for (const [k, v] of Object.entries(obj)) {
    const p = `$.${k}`;
    if (IGNORED(k)) continue;
    if (k === 'type') {
      if (!type) issues.push({ path: p, message: `expected one of ${TASK_TYPES.map((t) => JSON.stringify(t)).join(', ')}, got ${JSON.stringify(v) ?? 'undefined'}` });
      continue;
    }
    const f = fields[k];
    if (f) {
      issues.push(...f.validate(v, p));
      continue;
    }
    const owners = TASK_TYPES.filter((t) => k in TYPE_SCHEMAS[t].fields);
    if (!owners.length) issues.push({ path: p, message: `unknown field (allowed: ${allowed.join(', ')})` });
    else if (type) issues.push({ path: p, message: `field of task type ${owners.join(' / ')}, not ${type}` });
    // Type unknown (already an issue): still check the value, so one pass reports every problem.
    else issues.push(...(TYPE_SCHEMAS[owners[0]].fields as Fields)[k].validate(v, p));
  }
  if (typeof obj.min_score === 'number' && typeof obj.max_score === 'number' && obj.min_score >= obj.max_score)
    issues.push({ path: '$.max_score', message: `expected max_score > min_score (${obj.min_score})` });
  return issues;
}

/**
 * The spec with the defaults of the common schema and of its type filled in (a field a file sets is kept). The
 * one place defaults are applied: downstream code reads `spec.protocol` etc. directly.
 */
export function withDefaults<S extends { type: TaskType }>(spec: S): S & TaskSpec {
  return { ...COMMON_SCHEMA.defaults, ...TYPE_SCHEMAS[spec.type].defaults, ...spec } as S & TaskSpec;
}

/**
 * Validates the object and returns it as a TaskSpec, defaults filled; throws E_TASK_SCHEMA naming the first
 * problem (and how many more).
 */
export function validateTaskSpec(obj: unknown, file: string, line?: (path: string) => number | undefined): TaskSpec {
  const issues = taskSchemaIssues(obj);
  if (issues.length) {
    const first = issues[0];
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more: ${issues.slice(1, 4).map((i) => i.path).join(', ')})` : '';
    const task = isObj(obj) && typeof obj.name === 'string' ? obj.name : undefined;
    throw new MtebError('E_TASK_SCHEMA', `${first.path}: ${first.message}${more}`, {
      file,
      line: line?.(first.path),
      field: first.path.replace(/^\$\.?/, ''),
      task,
    });
  }
  return withDefaults(obj as unknown as TaskSpec);
}
