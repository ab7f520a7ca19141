import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Tokenizer } from '@huggingface/tokenizers';
import { MtebError } from '../core/errors.js';

/** The two calls NV-Embed needs from a tokenizer.json tokenizer. */
export interface TextTokenizer {
  /** Ids with the template's special tokens (BOS for Mistral). */
  encode(text: string): number[];
  /** Ids without special tokens (`tokenizer.tokenize()` in transformers). */
  encodePlain(text: string): number[];
  tokenId(token: string): number | undefined;
}

/** tokenizer.json (+ tokenizer_config.json) from a checkpoint folder via @huggingface/tokenizers (pure JS). */
export function loadHfTokenizer(dir: string): TextTokenizer {
  const path = join(dir, 'tokenizer.json');
  if (!existsSync(path)) throw new MtebError('E_FILE_MISSING', 'checkpoint has no tokenizer.json', { file: path });
  let json: unknown;
  let config: unknown = {};
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
    const cfgPath = join(dir, 'tokenizer_config.json');
    if (existsSync(cfgPath)) config = JSON.parse(readFileSync(cfgPath, 'utf8'));
  } catch (e) {
    throw new MtebError('E_PARSE', `tokenizer files are not valid JSON: ${(e as Error).message}`, { file: path });
  }
  const tok = new Tokenizer(json as object, config as object);
  return {
    encode: (t) => tok.encode(t, { add_special_tokens: true }).ids,
    encodePlain: (t) => tok.encode(t, { add_special_tokens: false }).ids,
    tokenId: (t) => tok.token_to_id(t),
  };
}
