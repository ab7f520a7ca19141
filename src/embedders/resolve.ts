import type { Embedder } from '../core/embedder.js';
import { MtebError } from '../core/errors.js';
import { HashEmbedder } from './baselines/hash-embedder.js';
import { RandomEmbedder } from './baselines/random-embedder.js';
import { PrecomputedEmbedder } from './precomputed/precomputed-embedder.js';

export interface ResolveOptions {
  /** onnxruntime device for in-process models: cpu | cuda[:N] | webgpu | tensorrt. */
  device?: string;
  maxLength?: number;
  /** Folder for derived artefacts (built ONNX graphs). */
  cacheDir?: string;
  /** Environment variable holding the API key of remote embedders (default OPENAI_API_KEY). */
  apiKeyEnv?: string;
}

export const MODEL_SPEC_HELP = [
  'nvembed:DIR[?device=cuda&max_length=512]  NV-Embed checkpoint folder (config.json, safetensors, tokenizer.json), run in-process on onnxruntime',
  'openai:URL[,URL...][#model]                 any OpenAI-compatible POST /v1/embeddings server(s)',
  'precomputed:FILE                            JSONL {"text","embedding"} lines or an Arrow IPC file',
  'hash:DIM                                    lexical baseline (hashed word uni/bigrams)',
  'random:DIM[:SEED]                           chance-level baseline',
].join('\n');

function positiveInt(s: string, spec: string): number {
  const n = Number(s);
  if (!Number.isInteger(n) || n <= 0) throw new MtebError('E_MODEL_SPEC', `"${s}" is not a positive integer in model spec "${spec}"`);
  return n;
}

/** Turns a model spec string into an Embedder. Heavy backends are imported only when asked for. */
export async function resolveEmbedder(spec: string, opts: ResolveOptions = {}): Promise<Embedder> {
  const i = spec.indexOf(':');
  const scheme = i < 0 ? spec : spec.slice(0, i);
  const rest = i < 0 ? '' : spec.slice(i + 1);
  switch (scheme) {
    case 'random': {
      const [dim, seed] = rest.split(':');
      return new RandomEmbedder(positiveInt(dim, spec), seed === undefined ? 42 : positiveInt(seed, spec));
    }
    case 'hash':
      return new HashEmbedder(positiveInt(rest, spec));
    case 'precomputed':
      if (!rest) throw new MtebError('E_MODEL_SPEC', 'precomputed: needs a file, e.g. precomputed:embeddings.jsonl');
      return PrecomputedEmbedder.load(rest);
    case 'nvembed': {
      const [dir, query] = rest.split('?');
      if (!dir) throw new MtebError('E_MODEL_SPEC', 'nvembed: needs a checkpoint folder, e.g. nvembed:/models/NV-Embed-v2');
      const params = new URLSearchParams(query ?? '');
      const { createNvEmbedEmbedder } = await import('./nvembed/index.js');
      return createNvEmbedEmbedder(dir, {
        device: params.get('device') ?? opts.device,
        maxLength: params.has('max_length') ? positiveInt(params.get('max_length')!, spec) : opts.maxLength,
        dtype: (params.get('dtype') as 'fp16' | 'fp32' | null) ?? undefined,
        attention: (params.get('attention') as 'mha' | 'standard' | null) ?? undefined,
        cacheDir: opts.cacheDir,
      });
    }
    case 'openai': {
      // Opened with one small request, so the dimension is known (and an unreachable server reported) up front.
      const { openOpenAIEmbedder } = await import('./openai/index.js');
      return openOpenAIEmbedder(rest, { apiKeyEnv: opts.apiKeyEnv });
    }
    default:
      throw new MtebError('E_MODEL_SPEC', `unknown model spec "${spec}". Known forms:\n${MODEL_SPEC_HELP}`);
  }
}
