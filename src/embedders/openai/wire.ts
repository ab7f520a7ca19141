/**
 * The wire format of `POST /v1/embeddings`: the request body we send (with the optional non-standard
 * `instruction` / `input_type` fields) and the decoding of a response's `data` list — JSON numbers or base64
 * little-endian float32 — into vectors in input order, each through the shared vector check.
 */
import type { EmbedOptions, Role } from '../../core/embedder.js';
import { MtebError } from '../../core/errors.js';
import { checkVector, responseOrder } from '../../core/vector-check.js';
import type { OpenAIEmbedderOptions } from './options.js';

/** The client-side template that applies to a role, if any. */
export function templateFor(o: OpenAIEmbedderOptions, role: Role): string | undefined {
  return (role === 'query' ? o.queryTemplate : o.passageTemplate) ?? o.template;
}

export function requestBody(input: string[], options: EmbedOptions, o: OpenAIEmbedderOptions): string {
  const b: Record<string, unknown> = { input, encoding_format: o.encoding ?? 'float' };
  if (o.model) b.model = o.model;
  const ext = o.extensionFields ?? ['instruction', 'input_type'];
  if (ext.includes('instruction') && options.instruction && templateFor(o, options.role) === undefined) b.instruction = options.instruction;
  if (ext.includes('input_type')) b.input_type = options.role satisfies Role;
  return JSON.stringify(b);
}

/**
 * Vectors in input order, or null for a garbled body (unparsable JSON or no `data` list: retried). A parsed
 * response with the wrong count, a bad `index` or a value that is not a finite number is a hard error
 * (src/core/vector-check.ts), never a silent 0 or 1. `dim` 0: any dimension, the first vector fixes it.
 */
export function decodeResponse(text: string, n: number, dim: number, source: string): Float32Array[] | null {
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    return null;
  }
  if (!json || typeof json !== 'object' || !Array.isArray(json.data)) return null;
  const order = responseOrder(json.data, n, { source, location: { field: 'openai' } });
  const out: Float32Array[] = new Array(n);
  for (let r = 0; r < n; r++) {
    const item = json.data[r];
    let raw: unknown = item !== null && typeof item === 'object' ? item.embedding : item;
    if (typeof raw === 'string') raw = decodeBase64(raw, source, r);
    const v = checkVector(raw, dim || undefined, { source, which: `item ${r} of the response (text #${order[r]})`, location: { field: 'openai' } });
    if (!dim) dim = v.length;
    out[order[r]] = v;
  }
  return out;
}

function decodeBase64(raw: string, source: string, item: number): Float32Array {
  const buf = Buffer.from(raw, 'base64');
  if (buf.length % 4 || buf.length === 0)
    throw new MtebError('E_EMBEDDING_DIM', `${source} gave a base64 embedding of ${buf.length} bytes for item ${item}, not whole float32 values`, { field: 'openai' });
  const v = new Float32Array(buf.length / 4);
  for (let j = 0; j < v.length; j++) v[j] = buf.readFloatLE(j * 4);
  return v;
}
