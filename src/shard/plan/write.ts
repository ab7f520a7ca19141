import { chmodSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../../util/atomic-write.js';
import type { PlanFile } from './files.js';

/** Writes a plan's files into `dir` (created), scripts executable; returns their paths. */
export async function writePlanFiles(dir: string, files: readonly PlanFile[]): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  const out: string[] = [];
  for (const f of files) {
    const p = path.join(dir, f.name);
    await writeFileAtomic(p, f.text);
    chmodSync(p, f.executable ? 0o755 : 0o644);
    out.push(p);
  }
  return out;
}
