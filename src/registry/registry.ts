import { readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { MtebError } from '../core/errors.js';
import { TASK_TYPES, type TaskSpec } from '../task-types/spec.js';
import { readJsonFile, lineOfPath } from '../util/json-file.js';
import { validateTaskSpec } from '../task-types/validate.js';
import { closeNames } from './suggest.js';
import { TASKS_DIR } from './paths.js';

/**
 * A registry task: a TaskSpec plus its registry id. The id is the file name `tasks/<type>/<id>.json`; it equals
 * `name` except where one mteb task name has two different datasets/protocols across benchmarks, which get
 * `<name>@v2` (e.g. `AskUbuntuDupQuestions@v2`: same result-file name, v2 retrieval-format data). See tasks/README.md.
 */
export type RegistryEntry = TaskSpec & { id: string };

let cache: { dir: string; entries: RegistryEntry[]; byId: Map<string, RegistryEntry> } | null = null;

/** Reads and validates every task file under `dir` (default tasks/); throws on the first invalid one. */
export function readRegistryDir(dir: string = TASKS_DIR): RegistryEntry[] {
  const entries: RegistryEntry[] = [];
  const seen = new Map<string, string>();
  for (const sub of readdirSync(dir).sort()) {
    const subdir = join(dir, sub);
    if (!statSync(subdir).isDirectory()) continue;
    if (!(TASK_TYPES as readonly string[]).includes(sub)) continue;
    for (const f of readdirSync(subdir).sort()) {
      if (!f.endsWith('.json')) continue;
      const file = join(subdir, f);
      const id = basename(f, '.json');
      const { value, text } = readJsonFile(file);
      const spec = validateTaskSpec(value, file, (p) => lineOfPath(text, p));
      const where = { file, task: id };
      if (spec.type !== sub)
        throw new MtebError('E_TASK_SCHEMA', `type "${spec.type}" does not match its folder tasks/${sub}/`, { ...where, field: 'type' });
      if (id !== spec.name && !id.startsWith(spec.name + '@'))
        throw new MtebError('E_TASK_SCHEMA', `file name must be "<name>.json" or "<name>@<variant>.json" (name is "${spec.name}")`, { ...where, field: 'name' });
      if (seen.has(id)) throw new MtebError('E_TASK_SCHEMA', `duplicate registry id, also in ${seen.get(id)}`, where);
      seen.set(id, file);
      entries.push({ ...spec, id } as RegistryEntry);
    }
  }
  const ids = new Set(entries.map((e) => e.id));
  for (const e of entries)
    for (const part of e.aggregate_of ?? [])
      if (!ids.has(part))
        throw new MtebError('E_TASK_SCHEMA', `aggregate_of names unknown task "${part}"`, { task: e.id, field: 'aggregate_of' });
  return entries;
}

function load(): NonNullable<typeof cache> {
  if (!cache || cache.dir !== TASKS_DIR) {
    const entries = readRegistryDir(TASKS_DIR);
    cache = { dir: TASKS_DIR, entries, byId: new Map(entries.map((e) => [e.id, e])) };
  }
  return cache;
}

/** Every registry task (all of MTEB(eng, v1), MTEB(eng, v2), the CQADupstack forums), sorted by type then id. */
export function loadRegistry(): RegistryEntry[] {
  return load().entries.map(cloneEntry);
}

/** Whether `id` names a registry task (exact id, case-sensitive). */
export function hasTask(id: string): boolean {
  return load().byId.has(id);
}

/**
 * The registry task with this id. A bare mteb name with an `@v2` sibling resolves to the MTEB(eng, v1) entry.
 * Unknown names throw E_UNKNOWN_TASK with the closest ids as suggestions; a case-only mismatch is not guessed.
 */
export function getTask(id: string): RegistryEntry {
  const { byId, entries } = load();
  const e = byId.get(id);
  if (e) return cloneEntry(e);
  const ids = entries.map((x) => x.id);
  const near = closeNames(id, ids);
  const hint = near.length ? `; did you mean ${near.map((n) => JSON.stringify(n)).join(', ')}?` : '; `mteb-ts tasks` lists them';
  throw new MtebError('E_UNKNOWN_TASK', `unknown task "${id}"${hint}`, { task: id });
}

function cloneEntry(e: RegistryEntry): RegistryEntry {
  return structuredClone(e);
}
