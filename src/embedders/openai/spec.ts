import { MtebError } from '../../core/errors.js';
import { redact } from '../../core/redact.js';
import { checkSpecOptions } from '../spec-options.js';

/** Every option an `openai:` spec takes; any other is refused with this list. */
export const OPENAI_SPEC_OPTIONS = [
  'template',
  'query_template',
  'passage_template',
  'dim',
  'batch',
  'tokens',
  'concurrency',
  'timeout_ms',
  'retries',
  'api_key_env',
  'ext',
  'encoding',
  'revision',
] as const;

export interface OpenAISpec {
  /** Full `.../v1/embeddings` endpoints, one per server. */
  endpoints: string[];
  model?: string;
  params: URLSearchParams;
}

/**
 * `openai:URL[,URL...][#model][?key=value&...]` (the `openai:` prefix is optional here). A URL may be a base
 * (`http://h:8000`), end in `/v1`, or be the full `/v1/embeddings` endpoint. Options after `?` (in the
 * fragment, so they never reach a server): template, query_template, passage_template, dim, batch, tokens,
 * concurrency, timeout_ms, retries, api_key_env, ext, encoding, revision (OPENAI_SPEC_OPTIONS); an unknown or
 * repeated option is an E_MODEL_SPEC error listing the known ones.
 */
export function parseOpenAISpec(spec: string): OpenAISpec {
  let rest = spec.startsWith('openai:') ? spec.slice('openai:'.length) : spec;
  let params = new URLSearchParams();
  let model: string | undefined;
  const hash = rest.indexOf('#');
  if (hash >= 0) {
    let frag = rest.slice(hash + 1);
    rest = rest.slice(0, hash);
    const q = frag.indexOf('?');
    if (q >= 0) {
      params = new URLSearchParams(frag.slice(q + 1));
      frag = frag.slice(0, q);
    }
    model = frag || undefined;
  } else {
    // Without a model fragment, options may follow the last URL as `?...` only if it has no query of its own.
    const q = rest.lastIndexOf('?');
    if (q >= 0 && !rest.slice(q).includes('/')) {
      params = new URLSearchParams(rest.slice(q + 1));
      rest = rest.slice(0, q);
    }
  }
  checkSpecOptions(params, OPENAI_SPEC_OPTIONS, 'openai', spec);
  const urls = rest.split(',').map((u) => u.trim()).filter(Boolean);
  if (!urls.length) throw new MtebError('E_MODEL_SPEC', `openai: needs at least one server URL, e.g. openai:http://127.0.0.1:8000#my-model (got "${redact(spec)}")`);
  const endpoints = urls.map((u) => {
    let url: URL;
    try {
      url = new URL(u);
    } catch {
      throw new MtebError('E_MODEL_SPEC', `"${redact(u)}" is not a valid URL in model spec "${redact(spec)}"`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new MtebError('E_MODEL_SPEC', `"${redact(u)}" must be http:// or https:// (model spec "${redact(spec)}")`);
    const p = url.pathname.replace(/\/+$/, '');
    if (p.endsWith('/embeddings')) url.pathname = p;
    else if (p.endsWith('/v1')) url.pathname = `${p}/embeddings`;
    else url.pathname = `${p}/v1/embeddings`;
    return url.toString();
  });
  return { endpoints, model, params };
}

/** URLs may carry user:password or a key in the query; never print them (src/core/redact.ts). */
export function redactUrl(u: string): string {
  return redact(u);
}
