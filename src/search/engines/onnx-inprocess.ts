import type * as ortTypes from 'onnxruntime-node';
import { buildSearchGraph, graphKey, type SearchGraphSpec } from '../onnx-graph.js';
import type { Ort } from '../../native/optional-module.js';
import { sessionOptions, type Feeds, type Runner, type RunOut } from './onnx-engine.js';

/** onnxruntime on the calling thread: inputs are wrapped, not copied, so a stored corpus is read in place. */
export class InProcessRunner implements Runner {
  private sessions = new Map<string, Promise<ortTypes.InferenceSession>>();
  constructor(private readonly ort: Ort, private readonly threads: number) {}

  private session(spec: SearchGraphSpec) {
    const key = graphKey(spec);
    let s = this.sessions.get(key);
    if (!s) {
      s = this.ort.InferenceSession.create(buildSearchGraph(spec), sessionOptions(this.threads));
      this.sessions.set(key, s);
    }
    return s;
  }

  async run(spec: SearchGraphSpec, f: Feeds) {
    const { Tensor } = this.ort;
    const c = f.corpus!;
    const feeds: Record<string, ortTypes.Tensor> = {
      queries: new Tensor('float32', f.queries, [f.m, f.dim]),
      corpus: c.data instanceof Uint16Array ? new Tensor('float16', c.data, [c.n, c.dim]) : new Tensor('float32', c.data, [c.n, c.dim]),
    };
    if (spec.withTopK) feeds.k = new Tensor('int64', BigInt64Array.of(BigInt(f.kk!)), [1]);
    const out = await (await this.session(spec)).run(feeds);
    const r: RunOut = spec.withTopK ? { values: out.values.data as Float32Array, indices: out.indices.data as BigInt64Array } : { scores: out.scores.data as Float32Array };
    if (!spec.nanSafe) {
      r.qSq = out.q_sq.data as Float32Array;
      r.cSq = out.c_sq.data as Float32Array;
    }
    return r;
  }

  async close(): Promise<void> {
    for (const s of this.sessions.values()) await (await s).release();
    this.sessions.clear();
  }
}

