import path from 'node:path';
import { MtebError } from '../core/errors.js';

/** A path segment built from a name, and what the name is (for the error): `['model name', 'org__m']`. */
export type NamedSegment = readonly [what: string, value: string];

/**
 * The one path check for files placed by name (model name from any source, revision, task, split, subset):
 * every named segment must be a single folder/file name (not empty, `.`, `..`, no `/`, `\` or NUL), and the
 * joined path must stay inside `root`. Anything else is an E_USAGE error naming the culprit; nothing is ever
 * written outside the output folder. Plain strings are fixed segments of our own (`.shards`).
 */
export function safeJoin(root: string, ...segments: (string | NamedSegment)[]): string {
  const parts: string[] = [];
  for (const s of segments) {
    if (typeof s === 'string') {
      parts.push(s);
      continue;
    }
    const [what, value] = s;
    checkSegment(what, value, root);
    parts.push(value);
  }
  const joined = path.join(root, ...parts);
  const rel = path.relative(path.resolve(root), path.resolve(joined));
  if (rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel))
    throw new MtebError('E_USAGE', `${JSON.stringify(parts.join('/'))} would place results outside the output folder ${root}`, { file: root });
  return joined;
}

/** Throws unless `value` can be used as exactly one path segment. */
export function checkSegment(what: string, value: string, root?: string): void {
  const bad =
    value === '' ? 'is empty' : value === '.' || value === '..' ? 'is a relative folder name' : /[/\\\0]/.test(value) ? 'holds a path separator or NUL' : undefined;
  if (bad)
    throw new MtebError(
      'E_USAGE',
      `${what} ${JSON.stringify(value)} ${bad}: it must name one folder or file inside the output folder${root ? ` ${root}` : ''} (results are never written outside it)`,
      { field: what },
    );
}
