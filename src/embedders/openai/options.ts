/**
 * The OpenAI-compatible embedder's options, and how a model spec's `?key=value` parameters fill them
 * (`openai:http://host:8000?batch=32&dim=4096#model`): options given in code win over the spec.
 */
import { MtebError } from '../../core/errors.js';
import { redact } from '../../core/redact.js';
import { enumOption } from '../spec-options.js';
import { parseOpenAISpec } from './spec.js';

export interface OpenAIEmbedderOptions {
  model?: string;
  /** Env var holding the API key (default OPENAI_API_KEY); unset = no Authorization header (local servers). */
  apiKeyEnv?: string;
  /** Known output dimension; otherwise learnt from the first response. */
  dimension?: number;
  /** Texts per request (default 64). */
  maxBatchSize?: number;
  /** Approximate tokens per request (default 100,000); one text over it still goes alone. */
  maxTokensPerRequest?: number;
  /** Token estimate of a text (default ceil(chars / 4)). */
  countTokens?: (text: string) => number;
  /** Requests in flight at once over all the URLs, each to the least busy one (default 4 per URL, at least 4). */
  concurrency?: number;
  timeoutMs?: number;
  /** Retries per request after the first try (default 6). */
  maxRetries?: number;
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  /** Longest Retry-After honoured (default 120 s). */
  maxRetryAfterMs?: number;
  /**
   * Client-side prompt: `{instruction}` is replaced and the result prepended to each text (e.g.
   * `Instruct: {instruction}\nQuery: `). When set, the instruction is not also sent as a body field.
   */
  template?: string;
  queryTemplate?: string;
  passageTemplate?: string;
  /** Non-standard body fields to send: `instruction` and/or `input_type` (default both; [] for strict servers). */
  extensionFields?: ('instruction' | 'input_type')[];
  /** Wire format of vectors: 'float' (JSON numbers, default) or 'base64' (little-endian float32). */
  encoding?: 'float' | 'base64';
  /** Model revision to record in results. */
  revision?: string;
  log?: (msg: string) => void;
}

function intParam(p: URLSearchParams, key: string, spec: string): number | undefined {
  const v = p.get(key);
  if (v === null) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new MtebError('E_MODEL_SPEC', `option ${key}=${v} must be a non-negative integer`, { field: key, file: redact(spec) });
  return n;
}

/** Requests in flight: 1..MAX_CONCURRENCY (a typo such as 20000 would open that many sockets at once). */
const MAX_CONCURRENCY = 256;
function concurrencyParam(p: URLSearchParams, spec: string): number | undefined {
  const n = intParam(p, 'concurrency', spec);
  if (n !== undefined && (n < 1 || n > MAX_CONCURRENCY))
    throw new MtebError('E_MODEL_SPEC', `option concurrency=${n} must be between 1 and ${MAX_CONCURRENCY} (requests in flight over all URLs; default 4 per URL, at least 4)`, { field: 'concurrency', file: redact(spec) });
  return n;
}

function extOption(p: URLSearchParams, spec: string): ('instruction' | 'input_type')[] | undefined {
  const v = p.get('ext');
  if (v === null) return undefined;
  if (v === 'none') return [];
  const fields = v.split(',');
  for (const f of fields)
    if (f !== 'instruction' && f !== 'input_type')
      throw new MtebError('E_MODEL_SPEC', `option ext=${v}: "${f}" is not one of instruction, input_type (or ext=none)`, { field: 'ext', file: redact(spec) });
  return fields as ('instruction' | 'input_type')[];
}

/** The endpoints of `spec` and the options its parameters give, under those given in code. */
export function resolveOpenAIOptions(spec: string, opts: OpenAIEmbedderOptions): { endpoints: string[]; options: OpenAIEmbedderOptions } {
  const parsed = parseOpenAISpec(spec);
  const p = parsed.params;
  const options: OpenAIEmbedderOptions = {
    ...opts,
    model: opts.model ?? parsed.model,
    dimension: opts.dimension ?? intParam(p, 'dim', spec),
    maxBatchSize: opts.maxBatchSize ?? intParam(p, 'batch', spec),
    maxTokensPerRequest: opts.maxTokensPerRequest ?? intParam(p, 'tokens', spec),
    concurrency: opts.concurrency ?? concurrencyParam(p, spec),
    timeoutMs: opts.timeoutMs ?? intParam(p, 'timeout_ms', spec),
    maxRetries: opts.maxRetries ?? intParam(p, 'retries', spec),
    apiKeyEnv: opts.apiKeyEnv ?? p.get('api_key_env') ?? undefined,
    template: opts.template ?? p.get('template') ?? undefined,
    queryTemplate: opts.queryTemplate ?? p.get('query_template') ?? undefined,
    passageTemplate: opts.passageTemplate ?? p.get('passage_template') ?? undefined,
    encoding: opts.encoding ?? enumOption(p, 'encoding', ['float', 'base64'] as const, spec),
    extensionFields: opts.extensionFields ?? extOption(p, spec),
    // Part of the fingerprint, hence of the embedding cache's key: a new checkpoint served under the same
    // name with a new ?revision= never gets the old one's cached vectors.
    revision: opts.revision ?? p.get('revision') ?? undefined,
  };
  return { endpoints: parsed.endpoints, options };
}
