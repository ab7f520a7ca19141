import { existsSync } from 'node:fs';
import type { Embedder } from '../core/embedder.js';
import { MtebError } from '../core/errors.js';
import { HashEmbedder } from './baselines/hash-embedder.js';
import { RandomEmbedder } from './baselines/random-embedder.js';
import { PrecomputedEmbedder } from './precomputed/precomputed-embedder.js';
import { checkSpecOptions, enumOption, splitOptions } from './spec-options.js';
import { resolveOpenAIOptions } from './openai/options.js';
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
  /**
   * Checks the spec's form without opening anything (no file read, no request): what `plan` can check on a login
   * node before a job waits in a queue to fail. `open` starts with the same check.
   */
  check?(rest: string, spec: string): unknown;
  open(rest: string, spec: string, opts: ResolveOptions): Promise<Embedder> | Embedder;
}

const EMBEDDER_KINDS: Record<string, EmbedderKind> = {
  nvembed: {
    help: 'nvembed:DIR[?device=cuda&max_length=512]  NV-Embed checkpoint folder (config.json, safetensors, tokenizer.json), run in-process on onnxruntime',
    check: (rest, spec) => checkNv(rest, spec),
    async open(rest, spec, opts) {
      const { dir, params, dtype, attention } = checkNv(rest, spec);
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
    check: (rest, spec) => checkHf(rest, spec),
    async open(rest, spec, opts) {
      const { path, params, graph, attention, paddingSide } = checkHf(rest, spec);
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
    check(rest) {
      return resolveOpenAIOptions(rest, {});
    },
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
    check(rest, spec) {
      const { body, params } = splitOptions(rest);
      checkSpecOptions(params, [], 'hash', spec);
      return positiveInt(body, spec);
    },
    open(rest, spec) {
      return new HashEmbedder(EMBEDDER_KINDS.hash.check!(rest, spec) as number);
    },
  },
  random: {
    help: 'random:DIM[:SEED]                           chance-level baseline',
    check(rest, spec) {
      const { body, params } = splitOptions(rest);
      checkSpecOptions(params, [], 'random', spec);
      const parts = body.split(':');
      if (parts.length > 2) throw new MtebError('E_MODEL_SPEC', `random:DIM[:SEED] takes at most two numbers, got "${redact(spec)}"`);
      const [dim, seed] = parts;
      return [positiveInt(dim, spec), seed === undefined ? 42 : positiveInt(seed, spec)];
    },
    open(rest, spec) {
      const [dim, seed] = EMBEDDER_KINDS.random.check!(rest, spec) as [number, number];
      return new RandomEmbedder(dim, seed);
    },
  },
};

/** Every kind's help line, in the table's order. */
export const MODEL_SPEC_HELP = Object.values(EMBEDDER_KINDS).map((k) => k.help).join('\n');

/** Turns a model spec string into an Embedder. Heavy backends are imported only when asked for. */
export async function resolveEmbedder(spec: string, opts: ResolveOptions = {}): Promise<Embedder> {
  const { kind, rest } = kindOf(spec);
  return kind.open(rest, spec, opts);
}

/**
 * Checks a model spec's form without opening the model (no file read, no request): its kind, no control
 * characters (a newline would end a line of a job script), and the kind's own options and numbers. `plan` calls
 * it so a bad spec fails before any job is queued; `open` runs the same checks.
 */
export function checkModelSpec(spec: string): void {
  const { kind, rest } = kindOf(spec);
  kind.check?.(rest, spec);
}

function kindOf(spec: string): { kind: EmbedderKind; rest: string } {
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(spec)) throw new MtebError('E_MODEL_SPEC', `model spec ${JSON.stringify(redact(spec))} holds a control character (newline, tab, ...)`);
  const i = spec.indexOf(':');
  const scheme = i < 0 ? spec : spec.slice(0, i);
  const kind = Object.hasOwn(EMBEDDER_KINDS, scheme) ? EMBEDDER_KINDS[scheme] : undefined;
  if (!kind) throw new MtebError('E_MODEL_SPEC', `unknown model spec "${redact(spec)}". Known forms:\n${MODEL_SPEC_HELP}`);
  return { kind, rest: i < 0 ? '' : spec.slice(i + 1) };
}

function checkNv(rest: string, spec: string) {
  const { body: dir, params } = splitOptions(rest);
  if (!dir) throw new MtebError('E_MODEL_SPEC', 'nvembed: needs a checkpoint folder, e.g. nvembed:/models/NV-Embed-v2');
  checkSpecOptions(params, NVEMBED_SPEC_OPTIONS, 'nvembed', spec);
  const dtype = enumOption(params, 'dtype', ['fp16', 'fp32'] as const, spec);
  const attention = enumOption(params, 'attention', ['mha', 'standard'] as const, spec);
  if (params.has('max_length')) positiveInt(params.get('max_length')!, spec);
  return { dir, params, dtype, attention };
}

function checkHf(rest: string, spec: string) {
  const { body: path, params } = splitOptions(rest);
  if (!path) throw new MtebError('E_MODEL_SPEC', 'hf: needs a checkpoint folder or hub id, e.g. hf:/models/bge-small-en-v1.5 or hf:BAAI/bge-small-en-v1.5');
  checkSpecOptions(params, HF_SPEC_OPTIONS, 'hf', spec);
  const graph = enumOption(params, 'graph', ['auto', 'built', 'shipped'] as const, spec);
  const attention = enumOption(params, 'attention', ['causal', 'bidirectional'] as const, spec);
  const paddingSide = enumOption(params, 'padding_side', ['left', 'right'] as const, spec);
  if (params.has('max_length')) positiveInt(params.get('max_length')!, spec);
  return { path, params, graph, attention, paddingSide };
}
