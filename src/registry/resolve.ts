import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { MtebError } from '../core/errors.js';
import type { TaskSpec } from '../task-types/spec.js';
import { getTask, hasTask, type RegistryEntry } from './registry.js';
import { loadTaskFile } from './task-file.js';
import { bundledTask } from './benchmarks.js';

function looksLikePath(s: string): boolean {
  return s.endsWith('.json') || s.includes('/') || s.includes('\\') || s.startsWith('.');
}

/**
 * Turns `--tasks` values into TaskSpecs, in order, without duplicates. Each value may hold several items
 * separated by commas. An item is a registry id (`ArguAna`, `AskUbuntuDupQuestions@v2`) or a path to a task file
 * (or to a folder holding `task.json`), relative to `cwd`. A registry id wins over a same-named file only when
 * the item does not look like a path.
 */
export function resolveTasks(args: string[] | string, opts: { cwd?: string } = {}): TaskSpec[] {
  const cwd = opts.cwd ?? process.cwd();
  const items = (Array.isArray(args) ? args : [args])
    .flatMap((a) => String(a).split(','))
    .map((s) => s.trim())
    .filter(Boolean);
  if (!items.length) throw new MtebError('E_USAGE', 'no tasks given (use --tasks NAME[,NAME...] or a task file path)', { field: 'tasks' });
  const out: TaskSpec[] = [];
  const seen = new Set<string>();
  for (const item of items) {
    let spec: TaskSpec;
    let key: string;
    if (!looksLikePath(item) && hasTask(item)) {
      spec = getTask(item);
      key = `id:${item}`;
    } else {
      const p = resolve(cwd, item);
      if (existsSync(p)) {
        const file = statSync(p).isDirectory() ? join(p, 'task.json') : p;
        if (!existsSync(file))
          throw new MtebError('E_FILE_MISSING', `folder given as a task has no task.json`, { file, field: 'tasks' });
        spec = loadTaskFile(file);
        key = `file:${file}`;
      } else if (looksLikePath(item)) {
        throw new MtebError('E_FILE_MISSING', `task file not found (resolved against ${cwd})`, { file: p, field: 'tasks' });
      } else {
        // A task a benchmark bundles as a file (the demo tasks) runs by name too; else E_UNKNOWN_TASK with suggestions.
        spec = bundledTask(item) ?? getTask(item);
        key = `id:${item}`;
      }
    }
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(spec);
  }
  return out;
}

/** Replaces each aggregate task (CQADupstackRetrieval) by the registry tasks it averages, keeping order and uniqueness. */
export function expandAggregates(specs: TaskSpec[]): TaskSpec[] {
  const out: TaskSpec[] = [];
  const seen = new Set<string>();
  const push = (s: TaskSpec) => {
    const k = (s as RegistryEntry).id ?? `${s.name}@${s.source_dir ?? ''}`;
    if (!seen.has(k)) {
      seen.add(k);
      out.push(s);
    }
  };
  for (const s of specs) {
    if (s.aggregate_of?.length) s.aggregate_of.forEach((id) => push(getTask(id)));
    else push(s);
  }
  return out;
}

/** Registry id of a spec when it came from the registry, else its name. */
export function taskId(spec: TaskSpec): string {
  return (spec as RegistryEntry).id ?? spec.name;
}
