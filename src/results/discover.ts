import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { MtebError } from '../core/errors.js';

/** Where a folder of result files sits in mteb's layout; decides its default precedence. */
export type LayerKind = 'revision' | 'external' | 'no_revision_available' | 'flat';

/** One folder of `<Task>.json` files for one model. */
export interface ResultLayer {
  model: string;
  kind: LayerKind;
  /** Folder name: the revision hash, `external`, `no_revision_available`, or the flat folder's name. */
  name: string;
  dir: string;
  /** The RESULTS/--prefer argument this folder was found under. */
  source: string;
  /** task name -> result file path. */
  files: Map<string, string>;
}

const SPECIAL: Record<string, LayerKind> = { external: 'external', no_revision_available: 'no_revision_available' };

/** One directory's entries, split the way discovery uses them; names sorted as Array#sort sorts strings. */
interface Listing {
  subdirs: string[];
  /** task name -> result file path (`<Task>.json`; not model_meta.json, not `*.items.json`). */
  files: Map<string, string>;
}

/**
 * One `readdir` (with file types) per folder per discovery, kept for the call: the whole results repository has
 * ~900 model and revision folders, and a root, a model folder and its flat layer each asked for the same
 * listing up to three times. A `.json` name counts whatever its type, as before: a directory named `X.json` is
 * a broken result file that the reader names, not one silently skipped.
 */
class Listings {
  private readonly seen = new Map<string, Listing>();

  get(dir: string): Listing {
    let hit = this.seen.get(dir);
    if (!hit) {
      const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      hit = { subdirs: [], files: new Map() };
      // `dir` is already normalised (path.resolve / path.join): joining by hand is path.join without its
      // per-call normalisation, over the ~105,000 files of the whole results repository.
      const prefix = dir.endsWith(path.sep) ? dir : dir + path.sep;
      for (const d of entries) {
        const f = d.name;
        if (d.isDirectory() && !f.startsWith('.')) hit.subdirs.push(f);
        if (f.endsWith('.json') && f !== 'model_meta.json' && !f.endsWith('.items.json')) hit.files.set(f.slice(0, -'.json'.length), prefix + f);
      }
      this.seen.set(dir, hit);
    }
    return hit;
  }
}

/** `org__model` -> `org/model`, the inverse of mteb's model_name_as_path. */
export function modelFromFolder(folder: string): string {
  const i = folder.indexOf('__');
  return i < 0 ? folder : `${folder.slice(0, i)}/${folder.slice(i + 2)}`;
}

function layer(model: string, dir: string, source: string, ls: Listings): ResultLayer {
  const name = path.basename(dir);
  const kind: LayerKind = SPECIAL[name] ?? 'revision';
  return { model, kind, name, dir, source, files: ls.get(dir).files };
}

function modelFolderLayers(dir: string, source: string, ls: Listings): ResultLayer[] {
  const model = modelFromFolder(path.basename(dir));
  const own = ls.get(dir);
  const layers = own.subdirs.map((s) => layer(model, path.join(dir, s), source, ls)).filter((l) => l.files.size > 0);
  // mteb <= 1.12.17 wrote `<output>/<model>/<Task>.json` with no revision level.
  if (own.files.size > 0) layers.push({ model, kind: 'flat', name: path.basename(dir), dir, source, files: own.files });
  return layers;
}

/**
 * Accepts a root holding `<org>__<model>/` folders, one model folder, or one `<org>__<model>/<revision>` folder,
 * and returns every folder of result files under it, tagged with model and kind.
 */
export function discoverLayers(source: string): ResultLayer[] {
  const abs = path.resolve(source);
  if (!existsSync(abs) || !statSync(abs).isDirectory()) {
    throw new MtebError('E_FILE_MISSING', 'results path is not a directory', { file: source });
  }
  const ls = new Listings();
  const hasTaskFiles = (dir: string): boolean => ls.get(dir).files.size > 0;
  const base = path.basename(abs);
  if (hasTaskFiles(abs) && !base.includes('__')) {
    // A revision folder: the model is named by its parent (`<org>__<model>/<revision>`).
    const parent = path.basename(path.dirname(abs));
    return [layer(modelFromFolder(parent), abs, source, ls)];
  }
  const subdirs = ls.get(abs).subdirs;
  if (base.includes('__') || subdirs.some((s) => hasTaskFiles(path.join(abs, s)))) {
    const layers = modelFolderLayers(abs, source, ls);
    if (layers.length) return layers;
  }
  const layers = subdirs.flatMap((s) => modelFolderLayers(path.join(abs, s), source, ls));
  if (layers.length === 0) {
    throw new MtebError('E_RESULTS', 'no result files (<org>__<model>/<revision>/<Task>.json) found', { file: source });
  }
  return layers;
}
