/**
 * Prompts of registered models, as data: what mteb's model registry applies to each side (and, for nomic, each
 * task type), with the file it came from. The `hf:` embedder uses an entry when the checkpoint is the registered
 * model (hub id, config.json `_name_or_path`, or the `registered=` spec option) and its own
 * config_sentence_transformers.json names no query/passage prompt. `mteb-ts models` lists them.
 */

import { MTEB_TASK_INSTRUCTIONS } from './instruct-task-instructions.js';

export interface RegisteredModelPrompts {
  /** Hub id. */
  name: string;
  /** Model-spec kind that runs it in-process: `hf` entries hold plain prefixes, the others templates of their own. */
  spec: 'hf' | 'nvembed';
  /** Architecture (config.json `architectures` / model_type family). */
  family: string;
  /** Prefix of query-side texts ('' = none). */
  query: string;
  /** Prefix of passage/document-side texts ('' = none). */
  passage: string;
  /** Per task type prefixes mteb gives beyond query/passage (listed; the runner applies query/passage only). */
  taskTypes?: Record<string, string>;
  /**
   * Instruction-following models: the query-side template around the task's instruction (`{instruction}` is
   * replaced by the task file's instruction, the text NV-Embed gets too); documents stay plain. Used instead of
   * `query` whenever the task has an instruction.
   */
  queryTemplate?: string;
  /**
   * Where mteb's per-task instruction for this model differs from the task file's (NV-Embed's): task name ->
   * mteb 1.12's text (`v1`, applied to `mteb-1` protocol tasks) and mteb 2.x's (`v2`, applied to `mteb-2` ones).
   * The `hf:` embedder applies them on the query side through the Embedder `instructionFor` hook; documents stay plain.
   */
  taskInstructions?: Record<string, { v1?: string; v2?: string }>;
  /** Decoders whose published scores came from an attention other than the checkpoint's default, with the source. */
  publishedAttention?: { attention: 'causal' | 'bidirectional'; source: string };
  /** Where the prompts are written down (file in mteb's repository or the model card). */
  source: string;
  note?: string;
}

const MTEB = 'https://github.com/embeddings-benchmark/mteb/blob/main/mteb/models';
const BGE_QUERY = 'Represent this sentence for searching relevant passages: ';
const E5 = { query: 'query: ', passage: 'passage: ' };
const NOMIC = {
  query: 'search_query: ',
  passage: 'search_document: ',
  taskTypes: { Classification: 'classification: ', MultilabelClassification: 'classification: ', Clustering: 'clustering: ', PairClassification: 'classification: ', Reranking: 'classification: ', STS: 'classification: ', Summarization: 'classification: ' },
};

/**
 * mteb's template for e5-mistral, SFR-Embedding and gte-Qwen2: `Instruct: {instruction}\nQuery: ` on queries, none on
 * documents; the per-task texts are mteb's own (src/registry/instruct-task-instructions.ts, generated from mteb's code).
 */
const INSTRUCT = { query: '', passage: '', queryTemplate: 'Instruct: {instruction}\nQuery: ', taskInstructions: MTEB_TASK_INSTRUCTIONS };
const INSTRUCT_NOTE = "queries: 'Instruct: {task instruction}\\nQuery: ', documents plain (apply_instruction_to_passages=False)";
const MTEB_NOW = 'https://github.com/embeddings-benchmark/mteb/blob/main/mteb/models/model_implementations';

export const REGISTERED_MODEL_PROMPTS: readonly RegisteredModelPrompts[] = [
  ...['small', 'base', 'large'].map((s) => ({ name: `BAAI/bge-${s}-en-v1.5`, spec: 'hf' as const, family: 'BertModel', query: BGE_QUERY, passage: '', source: `${MTEB}/bge_models.py` })),
  ...['small', 'base', 'large'].map((s) => ({ name: `intfloat/e5-${s}-v2`, spec: 'hf' as const, family: 'BertModel', ...E5, source: `${MTEB}/e5_models.py` })),
  ...['small', 'base', 'large'].map((s) => ({ name: `intfloat/multilingual-e5-${s}`, spec: 'hf' as const, family: 'XLMRobertaModel', ...E5, source: `${MTEB}/e5_models.py` })),
  ...['small', 'base', 'large'].map((s) => ({ name: `thenlper/gte-${s}`, spec: 'hf' as const, family: 'BertModel', query: '', passage: '', source: `${MTEB}/gte_models.py`, note: 'no prompts' })),
  { name: 'sentence-transformers/all-MiniLM-L6-v2', spec: 'hf', family: 'BertModel', query: '', passage: '', source: `${MTEB}/sentence_transformers_models.py`, note: 'no prompts' },
  { name: 'sentence-transformers/all-mpnet-base-v2', spec: 'hf', family: 'MPNetModel', query: '', passage: '', source: `${MTEB}/sentence_transformers_models.py`, note: 'no prompts' },
  { name: 'nomic-ai/nomic-embed-text-v1', spec: 'hf', family: 'NomicBertModel', ...NOMIC, source: `${MTEB}/nomic_models.py` },
  { name: 'nomic-ai/nomic-embed-text-v1.5', spec: 'hf', family: 'NomicBertModel', ...NOMIC, source: `${MTEB}/nomic_models.py` },
  { name: 'intfloat/e5-mistral-7b-instruct', spec: 'hf', family: 'MistralModel', ...INSTRUCT, source: `${MTEB_NOW}/e5_instruct.py (E5_INSTRUCTION)`, note: `${INSTRUCT_NOTE}; <s> text </s> (add_bos_token + add_eos_token)` },
  { name: 'Salesforce/SFR-Embedding-Mistral', spec: 'hf', family: 'MistralModel', ...INSTRUCT, source: `${MTEB_NOW}/salesforce_models.py (instruction_template)`, note: INSTRUCT_NOTE },
  { name: 'Salesforce/SFR-Embedding-2_R', spec: 'hf', family: 'MistralModel', ...INSTRUCT, source: `${MTEB_NOW}/salesforce_models.py (instruction_template)`, note: INSTRUCT_NOTE },
  ...['7B', '1.5B'].map((s) => ({
    name: `Alibaba-NLP/gte-Qwen2-${s}-instruct`,
    spec: 'hf' as const,
    family: 'Qwen2Model',
    ...INSTRUCT,
    source: `${MTEB_NOW}/gte_models.py (instruction_template)`,
    note: `${INSTRUCT_NOTE}; scores in mteb 1.12 came from causal attention (GritLM attn="cccc"), the model card describes bidirectional: hf:...?attention=bidirectional selects it`,
    publishedAttention: { attention: 'causal' as const, source: 'https://github.com/embeddings-benchmark/mteb/blob/1.12.90/mteb/models/gte_models.py (attn="cccc")' },
  })),
  {
    name: 'nvidia/NV-Embed-v2',
    spec: 'nvembed',
    family: 'NVEmbedModel',
    query: 'Instruct: {task instruction}\nQuery: ',
    passage: '',
    source: 'https://huggingface.co/nvidia/NV-Embed-v2/blob/main/instructions.json',
    note: 'per-task instructions, applied by nvembed:',
  },
];

/** The entry for a hub id (case-insensitive), if registered. */
export function registeredModelPrompts(name: string): RegisteredModelPrompts | undefined {
  const n = name.toLowerCase();
  return REGISTERED_MODEL_PROMPTS.find((m) => m.name.toLowerCase() === n);
}
