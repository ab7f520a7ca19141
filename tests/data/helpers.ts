import { cpSync, mkdirSync, mkdtempSync, readdirSync, statSync, symlinkSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { MtebError } from '../../src/core/errors.js';
import type { TaskFileSpec, TaskSpec } from '../../src/task-types/spec.js';
import { withDefaults } from '../../src/task-types/validate.js';

export const HUB = fileURLToPath(new URL('../../fixtures/hub/', import.meta.url));

export function fixtureDir(name: string): string {
  return join(HUB, 'mteb', name);
}

/** A task spec as the registry would load it (defaults of its type filled). */
export function spec(type: TaskSpec['type'], extra: Partial<TaskFileSpec> = {}): TaskSpec {
  return withDefaults({ name: 'T', type, dataset: { path: 'mteb/x', revision: 'r1' }, eval_splits: ['test'], main_score: 'm', ...extra } as TaskFileSpec);
}

export async function rejected(p: Promise<unknown>): Promise<MtebError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof MtebError) return e;
    throw e;
  }
  throw new Error('expected an MtebError');
}

export function tmp(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  const rec = (d: string) => {
    for (const n of readdirSync(d)) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) rec(p);
      else out.push(relative(dir, p));
    }
  };
  rec(dir);
  return out;
}

/**
 * Lays a fixture repo out the way huggingface_hub caches it: blobs/<sha256> + snapshots/<rev>/<path> symlinks
 * (relative, ../../blobs/...) + refs/main. Returns the hub cache dir (what HF_HUB_CACHE points to).
 */
export function makeHfCache(repo: string, fixture: string, revisions: string[], mainRev = revisions[0], cache = tmp('hfcache-')): string {
  const repoDir = join(cache, `datasets--${repo.replace('/', '--')}`);
  mkdirSync(join(repoDir, 'blobs'), { recursive: true });
  mkdirSync(join(repoDir, 'refs'), { recursive: true });
  writeFileSync(join(repoDir, 'refs', 'main'), mainRev);
  const src = fixtureDir(fixture);
  for (const rev of revisions) {
    for (const rel of filesUnder(src)) {
      const sha = createHash('sha256').update(rel).digest('hex');
      const blob = join(repoDir, 'blobs', sha);
      copyFileSync(join(src, rel), blob);
      const link = join(repoDir, 'snapshots', rev, rel);
      mkdirSync(join(link, '..'), { recursive: true });
      const depth = rel.split(/[\\/]/).length + 1; // snapshots/<rev>/<rel...>
      symlinkSync(join(...Array(depth).fill('..'), 'blobs', sha), link);
    }
  }
  return cache;
}

/** A `--data-dir` tree holding the fixture as `<dataDir>/<org>/<name>/`, optionally with a download marker. */
export function makeDataDir(repo: string, fixture: string, markerRevision?: string): string {
  const dir = tmp('datadir-');
  const dest = join(dir, ...repo.split('/'));
  cpSync(fixtureDir(fixture), dest, { recursive: true });
  if (markerRevision) writeFileSync(join(dest, '.mteb-ts-download.json'), JSON.stringify({ repo, revision: markerRevision, files: [] }));
  return dir;
}
