/**
 * The `configs:` block of a hub dataset card (README.md YAML front matter), which is how the hub itself maps
 * files to (config, split) when present:
 *   configs:
 *   - config_name: corpus
 *     data_files:
 *     - split: test
 *       path: corpus/test-*
 * Only this block is parsed (a YAML subset: block lists/maps, plain or quoted scalars, `[a, b]` flow lists),
 * enough for dataset cards; anything unexpected makes the parser give up (returns null) and callers fall back
 * to the file-name rules in layout.ts.
 */
export interface CardConfig {
  config_name: string;
  /** split -> glob patterns relative to the repo root. */
  data_files: Map<string, string[]>;
}

function scalar(s: string): string {
  const t = s.trim();
  if ((t.startsWith('"') && t.endsWith('"')) || (t.startsWith("'") && t.endsWith("'"))) return t.slice(1, -1);
  return t;
}

function listOrScalar(s: string): string[] {
  const t = s.trim();
  if (t.startsWith('[') && t.endsWith(']'))
    return t.slice(1, -1).split(',').map(scalar).filter(Boolean);
  return [scalar(t)];
}

export function parseCardConfigs(readme: string): CardConfig[] | null {
  const m = /^---\r?\n([\s\S]*?)\r?\n---/.exec(readme);
  if (!m) return null;
  const lines = m[1].split(/\r?\n/);
  const start = lines.findIndex((l) => /^configs:\s*$/.test(l));
  if (start < 0) return null;
  const block: string[] = [];
  for (let i = start + 1; i < lines.length; i++) {
    const l = lines[i];
    if (/^[^\s-]/.test(l)) break; // next top-level key (list items may sit at column 0)
    if (l.trim() && !l.trim().startsWith('#')) block.push(l);
  }
  const out: CardConfig[] = [];
  let cur: CardConfig | null = null;
  let inFiles = false;
  let pending: { split?: string; paths: string[] } | null = null;
  let inPathList = false;
  const flush = () => {
    if (cur && pending) {
      const split = pending.split ?? 'train';
      cur.data_files.set(split, [...(cur.data_files.get(split) ?? []), ...pending.paths]);
    }
    pending = null;
    inPathList = false;
  };
  try {
    for (const raw of block) {
      const l = raw.replace(/\s+$/, '');
      let mm: RegExpExecArray | null;
      if ((mm = /^-\s+config_name:\s*(.+)$/.exec(l.trimStart())) && /^\s{0,2}-/.test(l)) {
        flush();
        cur = { config_name: scalar(mm[1]), data_files: new Map() };
        out.push(cur);
        inFiles = false;
        continue;
      }
      if (!cur) return null;
      const t = l.trim();
      if ((mm = /^data_files:\s*(.*)$/.exec(t))) {
        flush();
        inFiles = true;
        if (mm[1]) {
          cur.data_files.set('train', listOrScalar(mm[1]));
          inFiles = false;
        }
        continue;
      }
      if (!inFiles) continue; // other config keys (default, sep, ...)
      if ((mm = /^-\s+split:\s*(.+)$/.exec(t))) {
        flush();
        pending = { split: scalar(mm[1]), paths: [] };
        continue;
      }
      if ((mm = /^-\s+path:\s*(.*)$/.exec(t))) {
        flush();
        pending = { paths: [] };
        if (mm[1]) pending.paths.push(...listOrScalar(mm[1]));
        else inPathList = true;
        continue;
      }
      if ((mm = /^split:\s*(.+)$/.exec(t)) && pending) {
        pending.split = scalar(mm[1]);
        continue;
      }
      if ((mm = /^path:\s*(.*)$/.exec(t)) && pending) {
        if (mm[1]) pending.paths.push(...listOrScalar(mm[1]));
        else inPathList = true;
        continue;
      }
      if ((mm = /^-\s+(.+)$/.exec(t)) && pending && inPathList) {
        pending.paths.push(scalar(mm[1]));
        continue;
      }
      if (/^[\w-]+:/.test(t) && !/^(split|path):/.test(t)) {
        flush();
        inFiles = false;
        continue;
      }
      return null;
    }
    flush();
  } catch {
    return null;
  }
  return out.length ? out : null;
}

/** Hub glob (fsspec style: `*` within a path segment, `**` across segments) to a RegExp over posix paths. */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*') {
      if (glob[i + 1] === '*') {
        re += '.*';
        i++;
        if (glob[i + 1] === '/') i++;
      } else re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}
