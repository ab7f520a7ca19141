import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

/**
 * Where a dataset's files are: the hub repo's file tree (same relative paths as on the hub) in some folder.
 * Loaders only use this interface, so a local folder, a `mteb-ts download` folder and an HF cache snapshot (whose
 * files are symlinks into ../../blobs) behave the same. tests/data/source-conformance.ts runs one suite on each.
 */
export interface DatasetSource {
  readonly kind: 'local' | 'data-dir' | 'hf-cache';
  /** Hub id (`mteb/arguana`) or the local folder, for messages. */
  readonly id: string;
  /** Absolute folder holding the files. */
  readonly root: string;
  /** Revision the files are at, when known (download marker or snapshot folder name). */
  readonly revision?: string;
  /** Non-fatal problems found while resolving (e.g. the pinned revision is not the one present). */
  readonly warnings: string[];
  /** Every file, as posix paths relative to root, sorted; hidden files and folders (`.git`, `.cache`) excluded. */
  listFiles(): string[];
  has(rel: string): boolean;
  /** Absolute path of a file given relative to root. */
  path(rel: string): string;
  /** Text of the dataset card (README.md) when there is one; its `configs:` block maps files to splits. */
  cardText?(): string | undefined;
}

function walk(root: string): string[] {
  const out: string[] = [];
  const rec = (dir: string) => {
    for (const name of readdirSync(dir)) {
      if (name.startsWith('.')) continue;
      const abs = join(dir, name);
      let st;
      try {
        st = statSync(abs); // follows symlinks (HF cache snapshots)
      } catch {
        continue; // dangling symlink of an interrupted download
      }
      if (st.isDirectory()) rec(abs);
      else if (st.isFile()) out.push(relative(root, abs).split(sep).join('/'));
    }
  };
  rec(root);
  return out.sort();
}

/** A folder holding a hub repo's files (local dataset, `mteb-ts download` output, or HF cache snapshot). */
export class FolderSource implements DatasetSource {
  private files: string[] | null = null;
  constructor(
    readonly kind: DatasetSource['kind'],
    readonly id: string,
    readonly root: string,
    readonly revision?: string,
    readonly warnings: string[] = [],
  ) {}
  listFiles(): string[] {
    this.files ??= walk(this.root);
    return [...this.files];
  }
  has(rel: string): boolean {
    return this.listFiles().includes(rel) || (existsSync(this.path(rel)) && statSync(this.path(rel)).isFile());
  }
  path(rel: string): string {
    return join(this.root, ...rel.split('/'));
  }
  cardText(): string | undefined {
    try {
      return this.listFiles().includes('README.md') ? readFileSync(this.path('README.md'), 'utf8') : undefined;
    } catch {
      return undefined;
    }
  }
}

/** HF hub cache snapshot `datasets--org--name/snapshots/<revision>/`: a folder source whose revision is the folder name. */
export class HfCacheSource extends FolderSource {
  constructor(id: string, snapshotDir: string, revision: string, warnings: string[] = []) {
    super('hf-cache', id, snapshotDir, revision, warnings);
  }
}
