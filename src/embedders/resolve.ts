import { existsSync } from 'node:fs';
import type { Embedder } from '../core/embedder.js';
import { MtebError } from '../core/errors.js';
import { HashEmbedder } from './baselines/hash-embedder.js';
import { RandomEmbedder } from './baselines/random-embedder.js';
import { PrecomputedEmbedder } from './precomputed/precomputed-embedder.js';
import { checkSpecOptions, enumOption, splitOptions } from './spec-options.js';
import { redact } from '../core/redact.js';

/** Options each spec kind takes after `?` (openai's live in openai/spec.ts); any other is refused with the list. */
export const NVEMBED_SPEC_OPTIONS = ['device', 'max_length', 'dtype', 'attention'] as const;
export const HF_SPEC_OPTIONS = ['device', 'max_length', 'query_prompt', 'passage_prompt', 'registered', 'revision', 'graph', 'attention', 'padding_side'] as const;

export interface ResolveOptions {
  /** onnxruntime device for in-process models: cpu | cuda[:N] | webgpu | tensorrt. */
  device?: string;
  maxLength?: number;
  /** Folder for derived artefacts (built ONNX graphs). */
  cacheDir?: string;
  /** Environment variable holding the API key of remote embedders (default OPENAI_API_KEY). */
  apiKeyEnv?: string;
}

function positiveInt(s: string, spec: string): number {
  const n = Number(s);
  if (s.trim() === '' || !Number.isInteger(n) || n <= 0) throw new MtebError('E_MODEL_SPEC', `"${s}" is not a positive integer in model spec "${redact(spec)}"`);
  return n;
}

/**
 * One entry per model-spec kind (the part before the first `:`): its help line and how it opens. This table is the
 * one place a kind is named; adding an embedder kind is adding an entry (docs/ARCHITECTURE.md, Recipes).
 */
interface EmbedderKind {
  help: string;
  open(rest: string, spec: string, opts: ResolveOptions): Promise<Embedder> | Embedder;
}

const EMBEDDER_KINDS: Record<string, EmbedderKind> = {
  nvembed: {
    help: 'nvembed:DIR[?device=cuda&max_length=512]  NV-Embed checkpoint folder (config.json, safetensors, tokenizer.json), run in-process on onnxruntime',
    async open(rest, spec, opts) {
      const { body: dir, params } = splitOptions(rest);
      if (!dir) throw new MtebError('E_MODEL_SPEC', 'nvembed: needs a checkpoint folder, e.g. nvembed:/models/NV-Embed-v2');
      checkSpecOptions(params, NVEMBED_SPEC_OPTIONS, 'nvembed', spec);
      const dtype = enumOption(params, 'dtype', ['fp16', 'fp32'] as const, spec);
      const attention = enumOption(params, 'attention', ['mha', 'standard'] as const, spec);
      const { createNvEmbedEmbedder } = await import('./nvembed/index.js');
      return createNvEmbedEmbedder(dir, {
        device: params.get('device') ?? opts.device,
        maxLength: params.has('max_length') ? positiveInt(params.get('max_length')!, spec) : opts.maxLength,
        dtype,
        attention,
        cacheDir: opts.cacheDir,
      });
    },
  },
  hf: {
    help: 'hf:PATH[?device=cuda&max_length=512]        sentence-transformers checkpoint folder or cached hub id (BERT, XLM-RoBERTa, MPNet, NomicBert, Mistral, Qwen2), in-process on onnxruntime (docs/models.md)',
    async open(rest, spec, opts) {
      const { body: path, params } = splitOptions(rest);
      if (!path) throw new MtebError('E_MODEL_SPEC', 'hf: needs a checkpoint folder or hub id, e.g. hf:/models/bge-small-en-v1.5 or hf:BAAI/bge-small-en-v1.5');
      checkSpecOptions(params, HF_SPEC_OPTIONS, 'hf', spec);
      const graph = enumOption(params, 'graph', ['auto', 'built', 'shipped'] as const, spec);
      const attention = enumOption(params, 'attention', ['causal', 'bidirectional'] as const, spec);
      const paddingSide = enumOption(params, 'padding_side', ['left', 'right'] as const, spec);
      const q = params.get('query_prompt') ?? undefined;
      const p = params.get('passage_prompt') ?? undefined;
      const { createHfEmbedder } = await import('./hf/index.js');
      return createHfEmbedder(path, {
        device: params.get('device') ?? opts.device,
        maxLength: params.has('max_length') ? positiveInt(params.get('max_length')!, spec) : opts.maxLength,
        prompts: q !== undefined || p !== undefined ? { query: q, passage: p, source: 'model spec options' } : undefined,
        registered: params.get('registered') ?? undefined,
        revision: params.get('revision') ?? undefined,
        graph,
        attention,
        paddingSide,
        cacheDir: opts.cacheDir,
      });
    },
  },
  openai: {
    help: 'openai:URL[,URL...][#model][?options]      any OpenAI-compatible POST /v1/embeddings server(s) (options: docs/scaling.md)',
    async open(rest, _spec, opts) {
      // Opened with one small request, so the dimension is known (and an unreachable server reported) up front.
      const { openOpenAIEmbedder } = await import('./openai/index.js');
      return openOpenAIEmbedder(rest, { apiKeyEnv: opts.apiKeyEnv });
    },
  },
  precomputed: {
    help: 'precomputed:FILE                            JSONL {"text","embedding"} lines or an Arrow IPC file',
    open(rest, spec) {
      // A file whose name holds "?" is taken as it is; otherwise "?..." are options, and it takes none.
      const { body, params } = existsSync(rest) ? { body: rest, params: new URLSearchParams() } : splitOptions(rest);
      checkSpecOptions(params, [], 'precomputed', spec);
      if (!body) throw new MtebError('E_MODEL_SPEC', 'precomputed: needs a file, e.g. precomputed:embeddings.jsonl');
      return PrecomputedEmbedder.load(body);
    },
  },
  hash: {
    help: 'hash:DIM                                    lexical baseline (hashed word uni/bigrams)',
    open(rest, spec) {
      const { body, params } = splitOptions(rest);
      checkSpecOptions(params, [], 'hash', spec);
      return new HashEmbedder(positiveInt(body, spec));
    },
  },
  random: {
    help: 'random:DIM[:SEED]                           chance-level baseline',
    open(rest, spec) {
      const { body, params } = splitOptions(rest);
      checkSpecOptions(params, [], 'random', spec);
      const parts = body.split(':');
      if (parts.length > 2) throw new MtebError('E_MODEL_SPEC', `random:DIM[:SEED] takes at most two numbers, got "${redact(spec)}"`);
      const [dim, seed] = parts;
      return new RandomEmbedder(positiveInt(dim, spec), seed === undefined ? 42 : positiveInt(seed, spec));
    },
  },
};

/** Every kind's help line, in the table's order. */
export const MODEL_SPEC_HELP = Object.values(EMBEDDER_KINDS).map((k) => k.help).join('\n');

/** Turns a model spec string into an Embedder. Heavy backends are imported only when asked for. */
export async function resolveEmbedder(spec: string, opts: ResolveOptions = {}): Promise<Embedder> {
  const i = spec.indexOf(':');
  const scheme = i < 0 ? spec : spec.slice(0, i);
  const kind = Object.hasOwn(EMBEDDER_KINDS, scheme) ? EMBEDDER_KINDS[scheme] : undefined;
  if (!kind) throw new MtebError('E_MODEL_SPEC', `unknown model spec "${redact(spec)}". Known forms:\n${MODEL_SPEC_HELP}`);
  return kind.open(i < 0 ? '' : spec.slice(i + 1), spec, opts);
}
