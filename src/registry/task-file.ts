import { dirname, resolve } from 'node:path';
import type { TaskSpec } from '../task-types/spec.js';
import { readJsonFile, lineOfPath } from '../util/json-file.js';
import { validateTaskSpec } from '../task-types/validate.js';

/** Loads a user's task file; `source_dir` is set so a relative `dataset.path` resolves against the file's folder. */
export function loadTaskFile(file: string): TaskSpec {
  const abs = resolve(file);
  const { value, text } = readJsonFile(abs);
  const spec = validateTaskSpec(value, abs, (p) => lineOfPath(text, p));
  return { ...spec, source_dir: dirname(abs) };
}
