/**
 * Prompts of registered models, as data: what mteb's model registry applies to each side (and, for nomic, each
 * task type), with the file it came from. The `hf:` embedder uses an entry when the checkpoint is the registered
 * model (hub id, config.json `_name_or_path`, or the `registered=` spec option) and its own
 * config_sentence_transformers.json names no query/passage prompt. `mteb-ts models` lists them.
 */

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

export const REGISTERED_MODEL_PROMPTS: readonly RegisteredModelPrompts[] = [
  ...['small', 'base', 'large'].map((s) => ({ name: `BAAI/bge-${s}-en-v1.5`, spec: 'hf' as const, family: 'BertModel', query: BGE_QUERY, passage: '', source: `${MTEB}/bge_models.py` })),
  ...['small', 'base', 'large'].map((s) => ({ name: `intfloat/e5-${s}-v2`, spec: 'hf' as const, family: 'BertModel', ...E5, source: `${MTEB}/e5_models.py` })),
  ...['small', 'base', 'large'].map((s) => ({ name: `intfloat/multilingual-e5-${s}`, spec: 'hf' as const, family: 'XLMRobertaModel', ...E5, source: `${MTEB}/e5_models.py` })),
  ...['small', 'base', 'large'].map((s) => ({ name: `thenlper/gte-${s}`, spec: 'hf' as const, family: 'BertModel', query: '', passage: '', source: `${MTEB}/gte_models.py`, note: 'no prompts' })),
  { name: 'sentence-transformers/all-MiniLM-L6-v2', spec: 'hf', family: 'BertModel', query: '', passage: '', source: `${MTEB}/sentence_transformers_models.py`, note: 'no prompts' },
  { name: 'sentence-transformers/all-mpnet-base-v2', spec: 'hf', family: 'MPNetModel', query: '', passage: '', source: `${MTEB}/sentence_transformers_models.py`, note: 'no prompts' },
  { name: 'nomic-ai/nomic-embed-text-v1', spec: 'hf', family: 'NomicBertModel', ...NOMIC, source: `${MTEB}/nomic_models.py` },
  { name: 'nomic-ai/nomic-embed-text-v1.5', spec: 'hf', family: 'NomicBertModel', ...NOMIC, source: `${MTEB}/nomic_models.py` },
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
