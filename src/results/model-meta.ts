import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { MtebError } from '../core/errors.js';
import { pythonJsonToJson } from './parse.js';
import type { ModelMetaFile } from './types.js';
import { parseJson } from '../util/json-file.js';

/** `model_meta.json` of a revision folder (mteb >= 1.12.18 writes one), or undefined when absent. */
export function readModelMeta(dir: string): ModelMetaFile | undefined {
  const file = path.join(dir, 'model_meta.json');
  if (!existsSync(file)) return undefined;
  const raw = parseJson(pythonJsonToJson(readFileSync(file, 'utf8')), { file }, { locate: false });
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new MtebError('E_RESULTS', 'model_meta.json is not an object', { file });
  return raw as ModelMetaFile;
}

/** mteb's `ModelMeta.model_name_as_path` (mteb/models/model_meta.py): the folder name a model name gets. */
export function modelNameAsPath(name: string): string {
  return name.replaceAll('/', '__').replaceAll(' ', '_');
}

/**
 * Disagreements between a folder's name and its model_meta.json, as warnings. A name is compared as mteb writes
 * it to disk (`model_name_as_path`: `/` -> `__`, space -> `_`), so "org/My Model" in `org__My_Model/` agrees.
 */
export function metaWarnings(meta: ModelMetaFile | undefined, model: string, revision: string, where: string): string[] {
  if (!meta) return [];
  const out: string[] = [];
  if (typeof meta.name === 'string' && meta.name !== model && modelNameAsPath(meta.name) !== modelNameAsPath(model)) out.push(`${where}/model_meta.json names model "${meta.name}", folder says "${model}"`);
  if (typeof meta.revision === 'string' && meta.revision !== revision) out.push(`${where}/model_meta.json names revision "${meta.revision}", folder is "${revision}"`);
  return out;
}
