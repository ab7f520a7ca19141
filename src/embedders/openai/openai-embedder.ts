import type { EmbedOptions, Embedder } from '../../core/embedder.js';
import { MtebError } from '../../core/errors.js';
import type { Matrix } from '../../core/matrix.js';
import { redact, redactAndTruncate, registerSecret } from '../../core/redact.js';
import { checkSegment } from '../../util/safe-path.js';
import { runBounded } from '../../util/bounded-lanes.js';
import { Dispatcher } from './dispatch.js';
import { postJson, TransientError } from './http.js';
import { resolveOpenAIOptions, type OpenAIEmbedderOptions } from './options.js';
import { withRetries, retryAfterMs, type Attempt } from './retry.js';
import { redactUrl } from './spec.js';
import { decodeResponse, requestBody, templateFor } from './wire.js';

export type { OpenAIEmbedderOptions } from './options.js';
export { retryAfterMs } from './retry.js';

export interface OpenAIClientStats {
  requests: number;
  retries: number;
  texts: number;
  /** Most requests that were in flight at once (never above `concurrency`). */
  peakInFlight: number;
}

/**
 * Requests in flight by default: four per server (one served, three queued), at least 4. A server's queue must
 * outlast the client's longest pause: while the search of a corpus chunk holds the event loop (up to ~0.8 s on a
 * loaded 2-core machine), responses wait and no request goes out, and two per server left the servers idle for
 * part of it (bench/pipeline/busy.ts, docs/BENCHMARKS.md "The embedder kept busy").
 */
export function defaultConcurrency(servers: number): number {
  return Math.max(4, 4 * servers);
}

/**
 * An Embedder over any OpenAI-compatible `POST /v1/embeddings` server(s): batches by count and token budget,
 * keeps at most `concurrency` requests in flight over all URLs (across concurrent `embed` calls too: `maxInFlight`
 * tells the run how many calls to keep going), each to the least busy URL (dispatch.ts), retries 429/5xx/timeouts/resets/garbled bodies with
 * exponential backoff and full jitter (Retry-After wins when given), and returns vectors in input order.
 */
export function createOpenAIEmbedder(spec: string, opts: OpenAIEmbedderOptions = {}): Embedder & { stats(): OpenAIClientStats } {
  const { endpoints, options } = resolveOpenAIOptions(spec, opts);
  return new OpenAIEmbedder(endpoints, options);
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
  readonly maxInFlight: number;
  private readonly dispatch: Dispatcher;
  private readonly counters = { requests: 0, retries: 0, texts: 0 };
  private readonly apiKey: string | undefined;

  constructor(private readonly endpoints: string[], private readonly o: OpenAIEmbedderOptions) {
    this.name = o.model ?? 'openai-compatible';
    this.revision = o.revision ?? 'no_revision_available';
    this.maxBatchSize = Math.max(1, o.maxBatchSize || 64);
    this.dim = o.dimension ?? 0;
    this.maxInFlight = Math.max(1, o.concurrency || defaultConcurrency(endpoints.length));
    this.dispatch = new Dispatcher(endpoints.length, this.maxInFlight);
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
    return { ...this.counters, peakInFlight: this.dispatch.peak };
  }

  meta() {
    return { name: this.name, revision: this.revision, embed_dim: this.dim || null, framework: ['API'] };
  }

  async embed(texts: string[], options: EmbedOptions): Promise<Matrix> {
    const prepared = texts.map((t) => this.applyTemplate(t, options));
    const batches = this.makeBatches(prepared);
    const results: Float32Array[][] = new Array(batches.length);
    let done = 0;
    // The dispatcher bounds the requests in flight; the lanes only avoid queueing every batch of a big call.
    await runBounded(batches.length, this.maxInFlight, async (b) => {
      results[b] = await this.request(batches[b].map((i) => prepared[i]), options);
      done += batches[b].length;
      options.onProgress?.(done);
    });
    const dim = this.dim;
    const out = new Float32Array(texts.length * dim);
    batches.forEach((idx, b) => idx.forEach((i, r) => out.set(results[b][r], i * dim)));
    this.counters.texts += texts.length;
    return { rows: texts.length, dim, data: out };
  }

  private applyTemplate(text: string, options: EmbedOptions): string {
    const t = templateFor(this.o, options.role);
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

  /** One request in one of the dispatcher's slots, retried (retry.ts), each try to the least busy URL. */
  private request(input: string[], options: EmbedOptions): Promise<Float32Array[]> {
    const body = requestBody(input, options, this.o);
    const headers: Record<string, string> = {};
    if (this.apiKey) headers.authorization = `Bearer ${this.apiKey}`;
    const timeoutMs = this.o.timeoutMs || 120_000;
    const attempt = async (): Promise<Attempt<Float32Array[]>> => {
      const server = this.dispatch.pick();
      const url = this.endpoints[server];
      this.counters.requests++;
      try {
        const res = await postJson(url, body, headers, timeoutMs);
        if (res.status === 200) {
          const vecs = decodeResponse(res.body, input.length, this.dim, redactUrl(url));
          if (!vecs) return { problem: `malformed response body from ${redactUrl(url)}` };
          if (!this.dim) this.dim = vecs[0].length;
          return { value: vecs };
        }
        if (res.status === 429 || res.status >= 500) {
          return { problem: `HTTP ${res.status} from ${redactUrl(url)}: ${this.snippet(res.body)}`, waitMs: retryAfterMs(res.headers['retry-after']) };
        }
        throw new MtebError('E_NETWORK', `HTTP ${res.status} from ${redactUrl(url)}: ${this.snippet(res.body)}`, { field: 'openai' });
      } catch (e) {
        if (!(e instanceof TransientError)) throw e;
        return { problem: `${redactUrl(url)}: ${redact(e.message)}` };
      } finally {
        this.dispatch.done(server);
      }
    };
    return this.dispatch.withSlot(() => withRetries(this.o, attempt, () => this.counters.retries++));
  }

  /** A short excerpt of a server's error body: redacted (an echoed API key included) before it is cut. */
  private snippet(body: string): string {
    return redactAndTruncate(body, 200, this.apiKey ? [this.apiKey] : []);
  }
}
