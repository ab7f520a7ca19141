import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Tokenizer } from '@huggingface/tokenizers';
import { MtebError } from '../core/errors.js';
import { readJsonFile } from '../util/json-file.js';

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
  // Each file is named (with the line) when it is the broken one.
  const json = readJsonFile(path).value;
  const cfgPath = join(dir, 'tokenizer_config.json');
  const config = existsSync(cfgPath) ? readJsonFile(cfgPath).value : {};
  const tok = new Tokenizer(json as object, config as object);
  return {
    encode: (t) => tok.encode(t, { add_special_tokens: true }).ids,
    encodePlain: (t) => tok.encode(t, { add_special_tokens: false }).ids,
    tokenId: (t) => tok.token_to_id(t),
  };
}
