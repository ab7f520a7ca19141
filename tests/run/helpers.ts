import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../../src/registry/index.js';
import type { TaskSpec } from '../../src/task-types/spec.js';

export const DEMO = path.join(REPO_ROOT, 'fixtures', 'tasks');

/** A private copy of a demo task (so a test can corrupt its files), returned as a loaded TaskSpec. */
export function copyDemoTask(name: string, rename?: string): { dir: string; spec: TaskSpec } {
  const root = mkdtempSync(path.join(tmpdir(), 'task-'));
  const dir = path.join(root, rename ?? name);
  cpSync(path.join(DEMO, name), dir, { recursive: true });
  const spec = JSON.parse(readFileSync(path.join(dir, 'task.json'), 'utf8')) as TaskSpec;
  if (rename) {
    spec.name = rename;
    writeFileSync(path.join(dir, 'task.json'), JSON.stringify(spec, null, 2));
  }
  return { dir, spec: { ...spec, source_dir: dir } };
}

export function tmpOut(): string {
  return mkdtempSync(path.join(tmpdir(), 'out-'));
}
