import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { MtebError } from '../../core/errors.js';
import { buildSearchGraph, graphKey, type SearchGraphSpec } from '../onnx-graph.js';
import { sessionOptions, type Feeds, type Runner } from './onnx-engine.js';
import { WORKER_SOURCE } from './onnx-worker-source.js';

/** onnxruntime in a worker thread (source: onnx-worker-source.ts), for vm sandboxes such as jest's. */
export class WorkerRunner implements Runner {
  private nextId = 1;
  private pending = new Map<number, { resolve: (v: any) => void; reject: (e: unknown) => void }>();
  private known = new Set<string>();
  private sentChunk?: Float32Array | Uint16Array;

  private constructor(private readonly worker: Worker) {
    worker.on('message', (msg: any) => {
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      if (msg.error) p.reject(new MtebError('E_INTERNAL', `onnxruntime search failed: ${msg.error}`));
      else p.resolve(msg);
    });
    worker.on('error', (e) => {
      for (const p of this.pending.values()) p.reject(e);
      this.pending.clear();
    });
    worker.unref();
  }

  static async create(threads: number): Promise<WorkerRunner> {
    const ortPath = createRequire(import.meta.url).resolve('onnxruntime-node');
    return new WorkerRunner(new Worker(WORKER_SOURCE, { eval: true, workerData: { ortPath, options: sessionOptions(threads) } }));
  }

  private call(msg: Record<string, unknown>, transfer: ArrayBuffer[] = []): Promise<any> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.ref();
      this.worker.postMessage({ ...msg, id }, transfer);
    }).finally(() => {
      if (this.pending.size === 0) this.worker.unref();
    });
  }

  async run(spec: SearchGraphSpec, f: Feeds) {
    const key = graphKey(spec);
    if (!this.known.has(key)) {
      await this.call({ op: 'session', key, graph: buildSearchGraph(spec) });
      this.known.add(key);
    }
    const c = f.corpus!;
    if (this.sentChunk !== c.data) {
      await this.call({ op: 'chunk', data: c.data, n: c.n, dim: c.dim, f16: c.data instanceof Uint16Array });
      this.sentChunk = c.data;
    }
    const r = await this.call({ op: 'run', key, q: f.queries, m: f.m, dim: f.dim, kk: spec.withTopK ? f.kk : 0 });
    // Typed arrays from the worker belong to this realm's intrinsics only after re-wrapping.
    const f32 = (a: any) => (a ? new Float32Array(a.buffer, a.byteOffset, a.length) : undefined);
    return { values: f32(r.values), indices: r.indices as BigInt64Array | undefined, scores: f32(r.scores), qSq: f32(r.qSq), cSq: f32(r.cSq) };
  }

  async close(): Promise<void> {
    await this.call({ op: 'close' });
    await this.worker.terminate();
  }
}

