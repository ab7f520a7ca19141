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

function subdirs(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && !d.name.startsWith('.'))
    .map((d) => d.name)
    .sort();
}

function taskFiles(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const f of readdirSync(dir).sort()) {
    if (!f.endsWith('.json') || f === 'model_meta.json' || f.endsWith('.items.json')) continue;
    files.set(f.slice(0, -'.json'.length), path.join(dir, f));
  }
  return files;
}

function hasTaskFiles(dir: string): boolean {
  return taskFiles(dir).size > 0;
}

/** `org__model` -> `org/model`, the inverse of mteb's model_name_as_path. */
export function modelFromFolder(folder: string): string {
  const i = folder.indexOf('__');
  return i < 0 ? folder : `${folder.slice(0, i)}/${folder.slice(i + 2)}`;
}

function layer(model: string, dir: string, source: string): ResultLayer {
  const name = path.basename(dir);
  const kind: LayerKind = SPECIAL[name] ?? 'revision';
  return { model, kind, name, dir, source, files: taskFiles(dir) };
}

function modelFolderLayers(dir: string, source: string): ResultLayer[] {
  const model = modelFromFolder(path.basename(dir));
  // One listing per folder (the whole results repository has ~900 of them): the layer keeps what it found.
  const layers = subdirs(dir)
    .map((s) => layer(model, path.join(dir, s), source))
    .filter((l) => l.files.size > 0);
  // mteb <= 1.12.17 wrote `<output>/<model>/<Task>.json` with no revision level.
  if (hasTaskFiles(dir)) layers.push({ model, kind: 'flat', name: path.basename(dir), dir, source, files: taskFiles(dir) });
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
  const base = path.basename(abs);
  if (hasTaskFiles(abs) && !base.includes('__')) {
    // A revision folder: the model is named by its parent (`<org>__<model>/<revision>`).
    const parent = path.basename(path.dirname(abs));
    return [layer(modelFromFolder(parent), abs, source)];
  }
  if (base.includes('__') || subdirs(abs).some((s) => hasTaskFiles(path.join(abs, s)))) {
    const layers = modelFolderLayers(abs, source);
    if (layers.length) return layers;
  }
  const layers = subdirs(abs).flatMap((s) => modelFolderLayers(path.join(abs, s), source));
  if (layers.length === 0) {
    throw new MtebError('E_RESULTS', 'no result files (<org>__<model>/<revision>/<Task>.json) found', { file: source });
  }
  return layers;
}
