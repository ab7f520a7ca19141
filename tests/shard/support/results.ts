import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Every result file of one model's results folder, with what differs between any two runs blanked:
 * evaluation_time, the per-scoring evaluation_id, and the digests of the items files that carry that id.
 */
export function comparableResults(dir: string, model = 'mteb-ts__hash-64', revision = 'no_revision_available'): Record<string, string> {
  const root = path.join(dir, model, revision);
  const out: Record<string, string> = {};
  for (const f of readdirSync(root).sort()) {
    if (!f.endsWith('.json')) continue;
    out[f] = readFileSync(path.join(root, f), 'utf8')
      .replace(/"evaluation_time": [^,\n}]+/g, '"evaluation_time": 0')
      .replace(/"evaluation_id": "[0-9a-f]+"/g, '"evaluation_id": ""')
      .replace(/(\.items\.json": )"sha256:[0-9a-f]+"/g, '$1""');
  }
  return out;
}
