import type { Role } from '../../core/embedder.js';
import type { HfCheckpoint } from './checkpoint.js';

/** The text prefix each side gets, and where it came from (shown by `mteb-ts models` and in model_meta's loader). */
export interface PromptChoice {
  query: string;
  passage: string;
  source: string;
}

/** Prompts set by the caller (spec options `query_prompt` / `passage_prompt`, or a registered model's entry). */
export interface PromptOverride {
  query?: string;
  passage?: string;
  source: string;
}

/**
 * Which prompt each role gets, as mteb's sentence-transformers wrapper picks it: the caller's override, else the
 * checkpoint's `prompts` entry named after the role (`passage`, or `document` as newer checkpoints name it), else
 * `default_prompt_name` (what SentenceTransformer.encode applies when no prompt is named), else none.
 */
export function choosePrompts(ck: HfCheckpoint, override?: PromptOverride): PromptChoice {
  const p = ck.prompts;
  const dflt = ck.defaultPromptName ? p[ck.defaultPromptName] : '';
  const fromCk = (role: Role) => (role === 'query' ? p.query : (p.passage ?? p.document)) ?? dflt;
  const hasCk = Object.keys(p).length > 0;
  if (override && (override.query !== undefined || override.passage !== undefined)) {
    return { query: override.query ?? fromCk('query'), passage: override.passage ?? fromCk('passage'), source: override.source };
  }
  return { query: fromCk('query'), passage: fromCk('passage'), source: hasCk ? 'config_sentence_transformers.json' : 'none' };
}
