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

export interface LoadTokenizerOptions {
  /**
   * Apply transformers' LlamaTokenizer(Fast) rule: for those classes, tokenizer_config.json's add_bos_token /
   * add_eos_token rebuild the template (transformers < 5, and what mteb forces for e5-mistral, whose
   * tokenizer.json adds only <s>). Off: tokenizer.json's own post-processor, as NV-Embed's runner uses it.
   */
  llamaSpecialTokens?: boolean;
}

const LLAMA_CLASSES = ['LlamaTokenizer', 'LlamaTokenizerFast', 'CodeLlamaTokenizer', 'CodeLlamaTokenizerFast'];

/** tokenizer.json (+ tokenizer_config.json) from a checkpoint folder via @huggingface/tokenizers (pure JS). */
export function loadHfTokenizer(dir: string, opts: LoadTokenizerOptions = {}): TextTokenizer {
  const path = join(dir, 'tokenizer.json');
  if (!existsSync(path)) throw new MtebError('E_FILE_MISSING', 'checkpoint has no tokenizer.json', { file: path });
  // Each file is named (with the line) when it is the broken one.
  const json = readJsonFile(path).value;
  const cfgPath = join(dir, 'tokenizer_config.json');
  const config = existsSync(cfgPath) ? readJsonFile(cfgPath).value : {};
  const tok = new Tokenizer(json as object, config as object);
  const rule = opts.llamaSpecialTokens ? llamaTemplate(config as Record<string, unknown>, cfgPath, (t) => tok.token_to_id(t)) : null;
  if (rule) {
    return {
      encode: (t) => [...rule.head, ...tok.encode(t, { add_special_tokens: false }).ids, ...rule.tail],
      encodePlain: (t) => tok.encode(t, { add_special_tokens: false }).ids,
      tokenId: (t) => tok.token_to_id(t),
    };
  }
  return {
    encode: (t) => tok.encode(t, { add_special_tokens: true }).ids,
    encodePlain: (t) => tok.encode(t, { add_special_tokens: false }).ids,
    tokenId: (t) => tok.token_to_id(t),
  };
}

/**
 * `<s>? text </s>?` from add_bos_token (default true) / add_eos_token (default false), as LlamaTokenizerFast's
 * update_post_processor builds it; null when the class is not a Llama tokenizer or the config sets neither flag.
 */
function llamaTemplate(cfg: Record<string, unknown>, file: string, id: (t: string) => number | undefined): { head: number[]; tail: number[] } | null {
  if (!LLAMA_CLASSES.includes(String(cfg.tokenizer_class)) || !('add_bos_token' in cfg || 'add_eos_token' in cfg)) return null;
  const special = (key: 'bos_token' | 'eos_token'): number => {
    const v = cfg[key];
    const t = v && typeof v === 'object' ? (v as { content?: unknown }).content : v;
    const n = typeof t === 'string' ? id(t) : undefined;
    if (n === undefined) throw new MtebError('E_MODEL_LOAD', `${key} ${JSON.stringify(t)} is not a token of tokenizer.json`, { file, field: key });
    return n;
  };
  return { head: (cfg.add_bos_token ?? true) ? [special('bos_token')] : [], tail: cfg.add_eos_token === true ? [special('eos_token')] : [] };
}
