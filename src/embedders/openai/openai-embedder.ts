import type { EmbedOptions, Embedder, Role } from '../../core/embedder.js';
import { MtebError } from '../../core/errors.js';
import type { Matrix } from '../../core/matrix.js';
import { postJson, TransientError } from './http.js';
import { parseOpenAISpec, redactUrl } from './spec.js';
import { redact, redactAndTruncate, registerSecret } from '../../core/redact.js';
import { enumOption } from '../spec-options.js';
import { checkVector, responseOrder } from '../../core/vector-check.js';
import { checkSegment } from '../../util/safe-path.js';

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
  /** Requests in flight at once, spread round-robin over the URLs (default 4). */
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

export interface OpenAIClientStats {
  requests: number;
  retries: number;
  texts: number;
}

function intParam(p: URLSearchParams, key: string, spec: string): number | undefined {
  const v = p.get(key);
  if (v === null) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new MtebError('E_MODEL_SPEC', `option ${key}=${v} must be a non-negative integer`, { field: key, file: redact(spec) });
  return n;
}

/**
 * An Embedder over any OpenAI-compatible `POST /v1/embeddings` server(s): batches by count and token budget,
 * keeps `concurrency` requests in flight over all URLs, retries 429/5xx/timeouts/resets/garbled bodies with
 * exponential backoff and full jitter (Retry-After wins when given), and returns vectors in input order.
 */
export function createOpenAIEmbedder(spec: string, opts: OpenAIEmbedderOptions = {}): Embedder & { stats(): OpenAIClientStats } {
  const parsed = parseOpenAISpec(spec);
  const p = parsed.params;
  const o: OpenAIEmbedderOptions = {
    ...opts,
    model: opts.model ?? parsed.model,
    dimension: opts.dimension ?? intParam(p, 'dim', spec),
    maxBatchSize: opts.maxBatchSize ?? intParam(p, 'batch', spec),
    maxTokensPerRequest: opts.maxTokensPerRequest ?? intParam(p, 'tokens', spec),
    concurrency: opts.concurrency ?? intParam(p, 'concurrency', spec),
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
  return new OpenAIEmbedder(parsed.endpoints, o);
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

/**
 * createOpenAIEmbedder, then (unless the dimension was given) one tiny request to learn it, so `dimension` is
 * right before the first real call. Fails early, with E_NETWORK, when no server answers.
 */
export async function openOpenAIEmbedder(spec: string, opts: OpenAIEmbedderOptions = {}): Promise<Embedder & { stats(): OpenAIClientStats }> {
  const e = createOpenAIEmbedder(spec, opts);
  if (!e.dimension) await e.embed(['dimension probe'], { role: 'passage' });
  return e;
}

class OpenAIEmbedder implements Embedder {
  readonly name: string;
  readonly revision: string;
  readonly maxBatchSize: number;
  private dim: number;
  private rr = 0;
  private readonly counters: OpenAIClientStats = { requests: 0, retries: 0, texts: 0 };
  private readonly apiKey: string | undefined;

  constructor(private readonly endpoints: string[], private readonly o: OpenAIEmbedderOptions) {
    this.name = o.model ?? 'openai-compatible';
    this.revision = o.revision ?? 'no_revision_available';
    this.maxBatchSize = Math.max(1, o.maxBatchSize || 64);
    this.dim = o.dimension ?? 0;
    const envName = o.apiKeyEnv ?? 'OPENAI_API_KEY';
    if (o.apiKeyEnv && process.env[envName] === undefined) {
      throw new MtebError('E_MODEL_SPEC', `environment variable ${envName} (named by --api-key-env) is not set`, { field: 'api_key_env' });
    }
    this.apiKey = process.env[envName] || undefined;
    registerSecret(this.apiKey);
    // ?revision= becomes a folder of the results: the one path check refuses `..`, `/` and the like up front.
    if (o.revision !== undefined) checkSegment('revision', o.revision);
  }

  /** 0 until known: from the `dim` option or the first response. */
  get dimension(): number {
    return this.dim;
  }

  /**
   * Model name and revision, not the URLs (a fleet serving one model shares one cache), plus the client-side
   * templates, which change what the server embeds. A new checkpoint behind the same name needs a new
   * revision (`?revision=` or `--model-revision`), or the cache would answer with the old one's vectors.
   */
  get fingerprint(): string {
    const t = [this.o.template, this.o.queryTemplate, this.o.passageTemplate];
    return `openai:${this.name}@${this.revision}${t.some((x) => x !== undefined) ? `:${JSON.stringify(t)}` : ''}`;
  }

  stats(): OpenAIClientStats {
    return { ...this.counters };
  }

  meta() {
    return { name: this.name, revision: this.revision, embed_dim: this.dim || null, framework: ['API'] };
  }

  async embed(texts: string[], options: EmbedOptions): Promise<Matrix> {
    const prepared = texts.map((t) => this.applyTemplate(t, options));
    const batches = this.makeBatches(prepared);
    const results: Float32Array[][] = new Array(batches.length);
    let next = 0;
    let done = 0;
    let failed = false;
    const worker = async () => {
      while (next < batches.length && !failed) {
        const b = next++;
        try {
          results[b] = await this.request(batches[b].map((i) => prepared[i]), options);
        } catch (e) {
          failed = true; // the other workers stop taking batches
          throw e;
        }
        done += batches[b].length;
        options.onProgress?.(done);
      }
    };
    const width = Math.max(1, Math.min(this.o.concurrency || 4, batches.length));
    await Promise.all(Array.from({ length: width }, worker));
    const dim = this.dim;
    const out = new Float32Array(texts.length * dim);
    batches.forEach((idx, b) => idx.forEach((i, r) => out.set(results[b][r], i * dim)));
    this.counters.texts += texts.length;
    return { rows: texts.length, dim, data: out };
  }

  private applyTemplate(text: string, options: EmbedOptions): string {
    const t = (options.role === 'query' ? this.o.queryTemplate : this.o.passageTemplate) ?? this.o.template;
    if (t === undefined) return text;
    return t.replaceAll('{instruction}', options.instruction ?? '') + text;
  }

  private makeBatches(texts: string[]): number[][] {
    const count = this.o.countTokens ?? ((s: string) => Math.ceil(s.length / 4));
    const budget = this.o.maxTokensPerRequest || 100_000;
    const out: number[][] = [];
    let cur: number[] = [];
    let tokens = 0;
    texts.forEach((t, i) => {
      const n = count(t);
      if (cur.length && (cur.length >= this.maxBatchSize || tokens + n > budget)) {
        out.push(cur);
        cur = [];
        tokens = 0;
      }
      cur.push(i);
      tokens += n;
    });
    if (cur.length) out.push(cur);
    return out;
  }

  private body(input: string[], options: EmbedOptions): string {
    const b: Record<string, unknown> = { input, encoding_format: this.o.encoding ?? 'float' };
    if (this.o.model) b.model = this.o.model;
    const ext = this.o.extensionFields ?? ['instruction', 'input_type'];
    const templated = (options.role === 'query' ? this.o.queryTemplate : this.o.passageTemplate) ?? this.o.template;
    if (ext.includes('instruction') && options.instruction && templated === undefined) b.instruction = options.instruction;
    if (ext.includes('input_type')) b.input_type = options.role satisfies Role;
    return JSON.stringify(b);
  }

  private async request(input: string[], options: EmbedOptions): Promise<Float32Array[]> {
    const body = this.body(input, options);
    const headers: Record<string, string> = {};
    if (this.apiKey) headers.authorization = `Bearer ${this.apiKey}`;
    const maxRetries = this.o.maxRetries ?? 6;
    const timeoutMs = this.o.timeoutMs || 120_000;
    let lastProblem = '';
    for (let attempt = 0; ; attempt++) {
      const url = this.endpoints[this.rr++ % this.endpoints.length];
      this.counters.requests++;
      let waitMs: number | undefined;
      try {
        const res = await postJson(url, body, headers, timeoutMs);
        if (res.status === 200) {
          const vecs = this.parse(res.body, input.length, url);
          if (vecs) return vecs;
          lastProblem = `malformed response body from ${redactUrl(url)}`;
        } else if (res.status === 429 || res.status >= 500) {
          lastProblem = `HTTP ${res.status} from ${redactUrl(url)}: ${this.snippet(res.body)}`;
          waitMs = retryAfterMs(res.headers['retry-after']);
        } else {
          throw new MtebError('E_NETWORK', `HTTP ${res.status} from ${redactUrl(url)}: ${this.snippet(res.body)}`, { field: 'openai' });
        }
      } catch (e) {
        if (!(e instanceof TransientError)) throw e;
        lastProblem = `${redactUrl(url)}: ${redact(e.message)}`;
      }
      if (attempt >= maxRetries) {
        throw new MtebError('E_NETWORK', `embedding request failed after ${attempt + 1} tries; last: ${lastProblem}`, { field: 'openai' });
      }
      const cap = Math.min(this.o.backoffMaxMs ?? 30_000, (this.o.backoffBaseMs ?? 500) * 2 ** attempt);
      let delay = Math.random() * cap;
      if (waitMs !== undefined) delay = Math.min(waitMs, this.o.maxRetryAfterMs ?? 120_000) + Math.random() * Math.min(cap, 250);
      this.counters.retries++;
      this.o.log?.(`retrying in ${Math.round(delay)} ms (${lastProblem})`);
      await new Promise((r) => setTimeout(r, delay));
    }
  }

  /**
   * Vectors in input order, or null for a garbled body (unparsable JSON or no `data` list: retried). A parsed
   * response with the wrong count, a bad `index` or a value that is not a finite number is a hard error
   * (vector-check.ts), never a silent 0 or 1.
   */
  private parse(text: string, n: number, url: string): Float32Array[] | null {
    let json: any;
    try {
      json = JSON.parse(text);
    } catch {
      return null;
    }
    if (!json || typeof json !== 'object' || !Array.isArray(json.data)) return null;
    const source = redactUrl(url);
    const order = responseOrder(json.data, n, { source, location: { field: 'openai' } });
    const out: Float32Array[] = new Array(n);
    for (let r = 0; r < n; r++) {
      const item = json.data[r];
      let raw: unknown = item !== null && typeof item === 'object' ? item.embedding : item;
      if (typeof raw === 'string') {
        const buf = Buffer.from(raw, 'base64');
        if (buf.length % 4 || buf.length === 0)
          throw new MtebError('E_EMBEDDING_DIM', `${source} gave a base64 embedding of ${buf.length} bytes for item ${r}, not whole float32 values`, { field: 'openai' });
        const v = new Float32Array(buf.length / 4);
        for (let j = 0; j < v.length; j++) v[j] = buf.readFloatLE(j * 4);
        raw = v;
      }
      const v = checkVector(raw, this.dim || undefined, { source, which: `item ${r} of the response (text #${order[r]})`, location: { field: 'openai' } });
      if (!this.dim) this.dim = v.length;
      out[order[r]] = v;
    }
    return out;
  }

  /** A short excerpt of a server's error body: redacted (an echoed API key included) before it is cut. */
  private snippet(body: string): string {
    return redactAndTruncate(body, 200, this.apiKey ? [this.apiKey] : []);
  }
}

/** Retry-After as seconds or an HTTP date, in ms; undefined when absent or unparsable. */
export function retryAfterMs(h: string | string[] | undefined): number | undefined {
  const v = Array.isArray(h) ? h[0] : h;
  if (!v) return undefined;
  if (/^\d+(\.\d+)?$/.test(v.trim())) return Number(v) * 1000;
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : Math.max(0, t - Date.now());
}
