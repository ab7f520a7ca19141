import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { MtebError } from '../../core/errors.js';
import { readJsonFile } from '../../util/json-file.js';
import { parsePoolingConfig, type PoolingConfig } from './pooling.js';

/** A sentence-transformers checkpoint folder (hub layout), read and validated once. */
export interface HfCheckpoint {
  dir: string;
  /** config.json as read (the architecture block validates its own fields). */
  config: Record<string, unknown>;
  modelType: string;
  architectures: string[];
  /** `_name_or_path` when it names a hub model (org/name), else ''. */
  nameOrPath: string;
  pooling: PoolingConfig;
  /** Whether modules.json has a Normalize module. */
  normalize: boolean;
  /** Tokens per text including special tokens (sentence_bert_config.json, else the tokenizer's/model's limit). */
  maxSeqLength: number;
  /** sentence_bert_config.json `do_lower_case`: sentence-transformers lowercases the text itself. */
  doLowerCase: boolean;
  /** config_sentence_transformers.json `prompts` (name -> text prefix) and `default_prompt_name`. */
  prompts: Record<string, string>;
  defaultPromptName: string | null;
  similarity: 'cosine' | 'dot' | 'euclidean' | 'manhattan';
  /** `onnx/model.onnx` when the checkpoint ships an export. */
  onnxModel: string | null;
  /** tokenizer_config.json `padding_side` (transformers' default: right). */
  paddingSide: PaddingSide;
}

export type PaddingSide = 'left' | 'right';

type Json = Record<string, unknown>;

function readObject(path: string, what: string): Json {
  const v = readJsonFile(path).value;
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw new MtebError('E_PARSE', `${what} must be a JSON object`, { file: path });
  return v as Json;
}

function optionalObject(path: string, what: string): Json | null {
  return existsSync(path) ? readObject(path, what) : null;
}

interface StModule {
  type: string;
  path: string;
}

/** modules.json: the sentence-transformers pipeline. Without it the folder is a plain transformers model (mean pooling, no Normalize, as sentence-transformers assumes). */
function readModules(dir: string): StModule[] | null {
  const path = join(dir, 'modules.json');
  if (!existsSync(path)) return null;
  const v = readJsonFile(path).value;
  if (!Array.isArray(v)) throw new MtebError('E_PARSE', 'modules.json must be a JSON array of modules', { file: path });
  return v.map((m, i) => {
    if (!m || typeof m.type !== 'string' || typeof (m.path ?? '') !== 'string') throw new MtebError('E_PARSE', `module ${i} needs a string "type" and "path"`, { file: path, field: `[${i}]` });
    return { type: m.type, path: m.path ?? '' };
  });
}

const KNOWN_MODULES = ['Transformer', 'Pooling', 'Normalize'];
const SIMILARITIES = ['cosine', 'dot', 'euclidean', 'manhattan'] as const;

export function readHfCheckpoint(dir: string): HfCheckpoint {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new MtebError('E_FILE_MISSING', 'Hugging Face checkpoint folder not found', { file: dir });
  const cfgPath = join(dir, 'config.json');
  if (!existsSync(cfgPath)) throw new MtebError('E_FILE_MISSING', 'checkpoint has no config.json', { file: cfgPath });
  const config = readObject(cfgPath, 'config.json');
  const modelType = config.model_type;
  if (typeof modelType !== 'string' || !modelType) throw new MtebError('E_MODEL_LOAD', 'config.json has no "model_type"', { file: cfgPath, field: 'model_type' });
  const architectures = Array.isArray(config.architectures) ? config.architectures.filter((a): a is string => typeof a === 'string') : [];
  const nameOrPath = typeof config._name_or_path === 'string' && /^[\w.-]+\/[\w.-]+$/.test(config._name_or_path) ? config._name_or_path : '';

  const modules = readModules(dir);
  const modulesPath = join(dir, 'modules.json');
  for (const m of modules ?? []) {
    const short = m.type.split('.').pop()!;
    if (!KNOWN_MODULES.includes(short)) {
      throw new MtebError('E_MODEL_LOAD', `module ${m.type} is not supported (supported: ${KNOWN_MODULES.join(', ')})`, { file: modulesPath, field: m.type });
    }
  }
  const poolingModule = modules?.find((m) => m.type.endsWith('Pooling'));
  let pooling: PoolingConfig;
  if (poolingModule) {
    const p = join(dir, poolingModule.path, 'config.json');
    if (!existsSync(p)) throw new MtebError('E_FILE_MISSING', `modules.json lists a Pooling module in "${poolingModule.path}" but it has no config.json`, { file: p });
    pooling = parsePoolingConfig(readObject(p, 'the Pooling config'), p);
  } else {
    pooling = { modes: ['mean'], includePrompt: true };
  }
  const normalize = modules?.some((m) => m.type.endsWith('Normalize')) ?? false;

  const stPath = join(dir, 'sentence_bert_config.json');
  const st = optionalObject(stPath, 'sentence_bert_config.json') ?? {};
  const tokCfgPath = join(dir, 'tokenizer_config.json');
  const tokCfg = optionalObject(tokCfgPath, 'tokenizer_config.json') ?? {};
  let maxSeqLength: number;
  let where: string;
  if (st.max_seq_length !== undefined && st.max_seq_length !== null) {
    maxSeqLength = st.max_seq_length as number;
    where = stPath;
  } else {
    // sentence-transformers' fallback: min(max_position_embeddings, tokenizer.model_max_length)
    const limits = [config.max_position_embeddings, tokCfg.model_max_length].filter((x): x is number => typeof x === 'number' && x > 0 && x < 1e6);
    maxSeqLength = limits.length ? Math.min(...limits) : 512;
    where = cfgPath;
  }
  if (!Number.isInteger(maxSeqLength) || maxSeqLength < 2) throw new MtebError('E_MODEL_LOAD', `max_seq_length must be an integer >= 2, got ${JSON.stringify(maxSeqLength)}`, { file: where, field: 'max_seq_length' });
  const doLowerCase = st.do_lower_case === true;

  const cstPath = join(dir, 'config_sentence_transformers.json');
  const cst = optionalObject(cstPath, 'config_sentence_transformers.json') ?? {};
  const prompts: Record<string, string> = {};
  if (cst.prompts !== undefined && cst.prompts !== null) {
    if (typeof cst.prompts !== 'object' || Array.isArray(cst.prompts)) throw new MtebError('E_PARSE', '"prompts" must be an object of name -> prompt text', { file: cstPath, field: 'prompts' });
    for (const [k, v] of Object.entries(cst.prompts as Json)) {
      if (typeof v !== 'string') throw new MtebError('E_PARSE', `prompt "${k}" must be a string`, { file: cstPath, field: `prompts.${k}` });
      prompts[k] = v;
    }
  }
  const defaultPromptName = typeof cst.default_prompt_name === 'string' ? cst.default_prompt_name : null;
  if (defaultPromptName !== null && !(defaultPromptName in prompts)) {
    throw new MtebError('E_PARSE', `default_prompt_name "${defaultPromptName}" is not one of the prompts (${Object.keys(prompts).join(', ') || 'none'})`, { file: cstPath, field: 'default_prompt_name' });
  }
  const sim = cst.similarity_fn_name ?? 'cosine';
  if (!(SIMILARITIES as readonly unknown[]).includes(sim)) throw new MtebError('E_PARSE', `similarity_fn_name must be one of ${SIMILARITIES.join(', ')}`, { file: cstPath, field: 'similarity_fn_name' });

  const side = tokCfg.padding_side ?? 'right';
  if (side !== 'left' && side !== 'right') throw new MtebError('E_PARSE', 'padding_side must be "left" or "right"', { file: tokCfgPath, field: 'padding_side' });

  const onnxPath = join(dir, 'onnx', 'model.onnx');
  return {
    dir,
    config,
    modelType,
    architectures,
    nameOrPath,
    pooling,
    normalize,
    maxSeqLength,
    doLowerCase,
    prompts,
    defaultPromptName,
    similarity: sim as HfCheckpoint['similarity'],
    onnxModel: existsSync(onnxPath) ? onnxPath : null,
    paddingSide: side,
  };
}
